# NotebookKit setup for Windows (Linux/macOS: environment/setup.sh). Safe to run again.
#
#   pwsh environment/setup.ps1              CPU build
#   pwsh environment/setup.ps1 -Cuda        CUDA build of TorchSharp (NVIDIA GPU; needs nuget.org)
#   pwsh environment/setup.ps1 -NoJupyter   skip registering the Jupyter kernel
#
# Same steps as setup.sh: restore the pinned .NET tools, build, pack the kit into the local notebook
# feed and register it as the NuGet source 'notebookkit-local', run `nbkit doctor`, and register the
# .NET Jupyter kernels bound to localhost when Jupyter is installed.
param(
    [switch]$Cuda,
    [switch]$NoJupyter
)
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$backend = if ($Cuda) { 'cuda' } else { 'cpu' }

function Step($text) { Write-Host "`n==> $text" }
function Invoke-Checked { param([string]$What) & $args[0] $args[1..($args.Length - 1)]; if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" } }

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw "The .NET 10 SDK is required (https://dot.net): 'dotnet' is not on PATH."
}

Step 'tools: dotnet-interactive and dotnet-repl (pinned in .config/dotnet-tools.json)'
Invoke-Checked 'dotnet tool restore' dotnet tool restore

Step "build ($backend backend)"
dotnet build NotebookKit.sln -c Release "-p:TorchBackend=$backend" -nologo -clp:ErrorsOnly
if ($LASTEXITCODE -ne 0) {
    if ($Cuda) { Write-Host "The CUDA build needs TorchSharp-cuda-windows from nuget.org, which no configured NuGet source served. Add nuget.org, or run without -Cuda." -ForegroundColor Red }
    exit 1
}

Step 'pack the kit for notebooks'
$home_ = if ($env:NBKIT_HOME) { $env:NBKIT_HOME } else { Join-Path $env:LOCALAPPDATA 'notebookkit' }
$feed = Join-Path $home_ 'feed'
New-Item -ItemType Directory -Force -Path $feed | Out-Null
$version = '0.1.0-dev.' + [DateTime]::UtcNow.ToString('yyyyMMddHHmmssfff')
Invoke-Checked 'dotnet pack' dotnet pack src/NotebookKit/NotebookKit.csproj -c Release -o $feed "-p:Version=$version" "-p:TorchBackend=$backend" -nologo -clp:ErrorsOnly
Get-ChildItem $feed -Filter 'NotebookKit.*.nupkg' | Sort-Object LastWriteTime -Descending | Select-Object -Skip 5 | Remove-Item
if (-not ((dotnet nuget list source --format short) -match [regex]::Escape($feed))) {
    Invoke-Checked 'dotnet nuget add source' dotnet nuget add source $feed --name notebookkit-local
}
Write-Host "NotebookKit $version in $feed (NuGet source 'notebookkit-local')"

Step 'check torch'
Invoke-Checked 'nbkit doctor' dotnet run --project src/NotebookKit.Cli -c Release --no-build "-p:TorchBackend=$backend" -- doctor

if (-not $NoJupyter -and (Get-Command jupyter -ErrorAction SilentlyContinue)) {
    Step 'Jupyter kernel (.NET Interactive, bound to localhost only)'
    $manifest = Get-Content .config/dotnet-tools.json -Raw | ConvertFrom-Json
    $interactiveVersion = $manifest.tools.'microsoft.dotnet-interactive'.version
    dotnet tool update --global Microsoft.dotnet-interactive --version $interactiveVersion | Out-Null
    $specs = Join-Path ([IO.Path]::GetTempPath()) ("nbkit-kernels-" + [guid]::NewGuid())
    Invoke-Checked 'jupyter install' dotnet dotnet-interactive jupyter install --path $specs | Out-Null
    foreach ($spec in Get-ChildItem $specs -Directory -Force) {
        $file = Join-Path $spec.FullName 'kernel.json'
        $json = Get-Content $file -Raw | ConvertFrom-Json
        # The kernel's HTTP API listens on every interface by default: in a workshop that exposes it to the room.
        if ($json.argv -notcontains '--http-local-only') { $json.argv += '--http-local-only' }
        $json | ConvertTo-Json -Depth 10 | Set-Content $file -Encoding utf8
        jupyter kernelspec install --user --replace --name $spec.Name $spec.FullName | Out-Null
    }
    Remove-Item -Recurse -Force $specs
} else {
    Step "Jupyter not found: skipping kernel registration (VS Code's Polyglot Notebooks extension needs none)"
}

Write-Host "`nReady. Try:`n  dotnet run --project src/NotebookKit.Cli -c Release -- doctor`n  open notebooks/00-setup.ipynb in VS Code or Jupyter"
