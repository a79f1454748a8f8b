// hv-monitor's build script: `dotnet tool restore && dotnet cake --target=TARGET`.
//
//   Build      build the solution (Release)
//   Test       the whole test suite, as CI runs it: bash tests/run.sh
//   Publish    the shipped binary: artifacts/publish/hv-monitor (NativeAOT; needs clang and zlib1g-dev)
//   Package    Publish, then the Debian package artifacts/hv-monitor_VERSION_ARCH.deb and the roff man pages in
//              artifacts/man/ (packaging/build-deb.sh: dpkg-deb, offline; needs scdoc, dpkg-dev, binutils)
//   Benchmark  Publish, then measure it (tests/HvMonitor.Benchmarks) and write docs/performance.md and .json
//
// Benchmark options (all optional): --runs=15 --warmup=2 --sizes=0,10,100,1000 --lab=auto|skip
//   --lab-extra=1000 --lab-running=4 --lab-uri=qemu:///system. It installs nothing: see docs/performance.md for what it needs.

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");

var publishDir = Directory("artifacts/publish");

Task("Build")
    .Does(() =>
{
    DotNetBuild("HvMonitor.sln", new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .Does(() =>
{
    int exitCode = StartProcess("bash", new ProcessSettings { Arguments = "tests/run.sh" });
    if (exitCode != 0)
        throw new Exception($"tests/run.sh failed with exit code {exitCode}");
});

Task("Publish")
    .Does(() =>
{
    DotNetPublish("src/HvMonitor/HvMonitor.csproj", new DotNetPublishSettings
    {
        Configuration = "Release",
        Runtime = "linux-x64",
        OutputDirectory = publishDir,
    });
});

Task("Package")
    .IsDependentOn("Publish")
    .Does(() =>
{
    var args = new ProcessArgumentBuilder()
        .AppendQuoted("packaging/build-deb.sh")
        .AppendQuoted(MakeAbsolute(publishDir.Path.CombineWithFilePath("hv-monitor")).FullPath)
        .AppendQuoted(MakeAbsolute(Directory("artifacts")).FullPath);
    int exitCode = StartProcess("bash", new ProcessSettings { Arguments = args });
    if (exitCode != 0)
        throw new Exception($"packaging/build-deb.sh failed with exit code {exitCode}");
});

Task("Benchmark")
    .IsDependentOn("Publish")
    .Does(() =>
{
    var args = new ProcessArgumentBuilder()
        .Append("--hv").AppendQuoted(MakeAbsolute(publishDir.Path.CombineWithFilePath("hv-monitor")).FullPath)
        .Append("--out").AppendQuoted(MakeAbsolute(Directory("docs")).FullPath)
        .Append("--work").AppendQuoted(MakeAbsolute(Directory("artifacts/bench")).FullPath);
    foreach (var option in new[] { "runs", "warmup", "sizes", "lab", "lab-extra", "lab-running", "lab-small", "lab-uri", "compress-iterations" })
    {
        if (HasArgument(option))
            args.Append("--" + option).AppendQuoted(Argument<string>(option));
    }
    DotNetRun("tests/HvMonitor.Benchmarks/HvMonitor.Benchmarks.csproj", args, new DotNetRunSettings { Configuration = "Release" });
});

RunTarget(target);
