namespace HvMonitor.IntegrationTests; public class Smoke { [Xunit.Fact] public void Builds() => Xunit.Assert.True(true); }
