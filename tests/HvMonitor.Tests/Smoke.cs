namespace HvMonitor.Tests; public class Smoke { [Xunit.Fact] public void Builds() => Xunit.Assert.Equal(0, HvMonitor.Program.Main([])); }
