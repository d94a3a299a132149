# NotebookKit setup under PowerShell 7 on Windows, Linux or macOS: the same steps as environment/setup.sh.
# Safe to run again at any time: every step is idempotent.
#
#   pwsh environment/setup.ps1              CPU build (works everywhere)
#   pwsh environment/setup.ps1 -Cuda        CUDA build of TorchSharp (NVIDIA GPU; needs nuget.org)
#   pwsh environment/setup.ps1 -NoJupyter   skip registering the Jupyter kernel
#   No PowerShell 7? The repository pins it: dotnet tool restore; dotnet pwsh environment/setup.ps1
#
# What it does:
#   1. restores the pinned .NET tools (dotnet-interactive, dotnet-repl, pwsh: .config/dotnet-tools.json);
#   2. builds the solution (restoring only this platform's libtorch);
#   3. packs the kit into the local notebook feed ($env:NBKIT_HOME/feed; default %LOCALAPPDATA%\notebookkit\feed
#      on Windows, ~/.cache/notebookkit/feed elsewhere) with a fresh prerelease version; that folder is
#      registered once as the NuGet source 'notebookkit-local', so notebooks reference it with `#r "nuget: NotebookKit, *-*"`;
#   4. runs `nbkit doctor`, which loads torch and, on Linux systems whose libstdc++ is older than
#      GCC 13's (Debian 12, Ubuntu 22.04), applies the libstdc++ compatibility fix to TorchSharp;
#   5. when Jupyter is installed, registers the .NET kernels, bound to localhost only; they run the pinned
#      dotnet-interactive of this repository (a local tool: nothing is installed globally), so they start
#      for notebooks inside it.
param(
    [switch]$Cpu,
    [switch]$Cuda,
    [switch]$NoJupyter,
    [switch]$Help,
    # setup.sh's spellings (--cuda, --no-jupyter, ...) are accepted too; anything else is refused below.
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest
)

function Fail([string]$Message, [int]$Code) { [Console]::Error.WriteLine("setup.ps1: $Message"); exit $Code }

foreach ($arg in $Rest) {
    if ($arg -eq '--cpu') { $Cpu = $true }
    elseif ($arg -eq '--cuda') { $Cuda = $true }
    elseif ($arg -eq '--no-jupyter') { $NoJupyter = $true }
    elseif ($arg -in '--help', '-?') { $Help = $true }
    else { Fail "unknown option '$arg' (expected -Cpu, -Cuda, -NoJupyter)" 2 }
}
if ($Help) {
    foreach ($line in Get-Content -LiteralPath $PSCommandPath) { if (-not $line.StartsWith('#')) { break }; $line -replace '^# ?', '' }
    exit 0
}
if ($Cpu -and $Cuda) { Fail 'give one of -Cpu and -Cuda' 2 }
if ($PSVersionTable.PSVersion.Major -lt 7) {
    Fail "needs PowerShell 7 (this is $($PSVersionTable.PSVersion)); the repository pins it: dotnet tool restore; dotnet pwsh environment/setup.ps1" 1
}

$ErrorActionPreference = 'Stop'
$backend = if ($Cuda) { 'cuda' } else { 'cpu' }
$onWindows = [Environment]::OSVersion.Platform -eq [PlatformID]::Win32NT

function Step([string]$Text) { Write-Host "`n==> $Text" }
# Runs a native command written as a script block, so that its arguments (-clp:ErrorsOnly, --) reach it as written
# rather than being parsed as a PowerShell function's parameters, and stops the set-up with the command's exit code
# when it fails, as `set -e` does in setup.sh.
function Invoke-Native([scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# Run in a PowerShell session (./environment/setup.ps1), the script must not leave that session changed.
$savedEnvironment = @{}
foreach ($name in 'DOTNET_CLI_TELEMETRY_OPTOUT', 'DOTNET_NOLOGO', 'NBKIT_HOME') { $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name) }
# A relative NBKIT_HOME names a folder relative to where this is run (resolved before moving to the repository).
if (-not [string]::IsNullOrWhiteSpace($env:NBKIT_HOME)) {
    $env:NBKIT_HOME = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($env:NBKIT_HOME)
}
Push-Location -LiteralPath (Split-Path -Parent $PSScriptRoot)
try {
    if (-not (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
        Fail "the .NET 10 SDK is required (https://dot.net). 'dotnet' is not on PATH." 1
    }
    $env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
    $env:DOTNET_NOLOGO = '1'

    Step 'tools: dotnet-interactive, dotnet-repl and pwsh (pinned in .config/dotnet-tools.json)'
    Invoke-Native { dotnet tool restore }

    Step "build ($backend backend)"
    # The notebook feed is registered (once) as a NuGet source before the build, because a registered local source whose
    # folder is missing (a cleared cache; a set-up with another NBKIT_HOME) fails every restore with NU1301.
    # Its folder is the one the kit reads (KitPaths.Home in src/NotebookKit/KitPaths.cs), the same as setup.sh's.
    if (-not [string]::IsNullOrWhiteSpace($env:NBKIT_HOME)) { $kitHome = $env:NBKIT_HOME }
    elseif ($onWindows) { $kitHome = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'notebookkit' }
    else {
        $cacheRoot = if ([string]::IsNullOrWhiteSpace($env:XDG_CACHE_HOME)) { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.cache' } else { $env:XDG_CACHE_HOME }
        $kitHome = Join-Path $cacheRoot 'notebookkit'
    }
    $feed = Join-Path $kitHome 'feed'
    New-Item -ItemType Directory -Force -Path $feed | Out-Null
    $sources = Invoke-Native { dotnet nuget list source --format short }
    if (-not ($sources | Where-Object { $_.Contains($feed) })) {
        # A 'notebookkit-local' left from a set-up with another NBKIT_HOME would block the name: point it here.
        dotnet nuget remove source notebookkit-local *> $null
        Invoke-Native { dotnet nuget add source $feed --name notebookkit-local }
    }
    dotnet build NotebookKit.sln -c Release "-p:TorchBackend=$backend" -nologo -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) {
        if ($backend -eq 'cuda') {
            $package = if ($onWindows) { 'TorchSharp-cuda-windows' } else { 'TorchSharp-cuda-linux' }
            [Console]::Error.WriteLine("setup.ps1: the CUDA build needs $package from nuget.org, which no configured NuGet source served.")
            [Console]::Error.WriteLine('           Add nuget.org to your NuGet sources, or run environment/setup.ps1 without -Cuda (CPU).')
        }
        exit 1
    }

    Step 'pack the kit for notebooks'
    # Same stamp format as the tests' packs (UTC, to the millisecond), so the newest build always wins.
    $version = '0.1.0-dev.' + [DateTime]::UtcNow.ToString('yyyyMMddHHmmssfff', [Globalization.CultureInfo]::InvariantCulture)
    Invoke-Native { dotnet pack src/NotebookKit/NotebookKit.csproj -c Release -o $feed "-p:Version=$version" "-p:TorchBackend=$backend" -nologo -clp:ErrorsOnly }
    # Keep the newest five builds; NuGet's own cache keeps what notebooks already restored.
    Get-ChildItem -LiteralPath $feed -Filter 'NotebookKit.*.nupkg' -File | Sort-Object LastWriteTimeUtc -Descending | Select-Object -Skip 5 | Remove-Item -Force
    Write-Host "NotebookKit $version in $feed (NuGet source 'notebookkit-local')"

    Step 'check torch (applies the Linux libstdc++ fix where needed)'
    Invoke-Native { dotnet run --project src/NotebookKit.Cli -c Release --no-build "-p:TorchBackend=$backend" -- doctor }

    if (-not $NoJupyter -and (Get-Command jupyter -CommandType Application -ErrorAction SilentlyContinue)) {
        Step 'Jupyter kernel (.NET Interactive, bound to localhost only)'
        $specs = Join-Path ([IO.Path]::GetTempPath()) ('nbkit-kernels-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $specs | Out-Null
        try {
            Invoke-Native { dotnet dotnet-interactive jupyter install --path $specs } | Out-Null
            foreach ($spec in Get-ChildItem -LiteralPath $specs -Directory -Force -Filter '.net-*') {
                $file = Join-Path $spec.FullName 'kernel.json'
                $kernel = Get-Content -LiteralPath $file -Raw | ConvertFrom-Json
                # Run the repository's pinned dotnet-interactive (`dotnet dotnet-interactive`, the local tool) rather than a
                # global one; and bind the kernel's HTTP API to localhost: it listens on every interface by default, which in
                # a workshop exposes it to the room.
                $argv = @($kernel.argv)
                if ($argv.Count -lt 2 -or $argv[0] -ne 'dotnet' -or $argv[1] -notin 'interactive', 'dotnet-interactive') {
                    Fail "dotnet-interactive wrote a kernel spec ($($spec.Name)) this script cannot patch; not registered." 1
                }
                $argv[1] = 'dotnet-interactive'
                if ($argv -notcontains '--http-local-only') { $argv += '--http-local-only' }
                $kernel.argv = $argv
                [IO.File]::WriteAllText($file, ($kernel | ConvertTo-Json -Depth 10))
                Invoke-Native { jupyter kernelspec install --user --replace --name $spec.Name $spec.FullName } | Out-Null
            }
            jupyter kernelspec list | Where-Object { $_.Contains('.net-') }
        }
        finally {
            Remove-Item -LiteralPath $specs -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
    else {
        Step "Jupyter not found: skipping kernel registration (VS Code's Polyglot Notebooks extension needs none)"
    }

    Write-Host "`nReady. Try:`n  dotnet run --project src/NotebookKit.Cli -c Release -- compare`n  open notebooks/00-setup.ipynb in VS Code or Jupyter"
}
finally {
    Pop-Location
    foreach ($name in $savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
}
