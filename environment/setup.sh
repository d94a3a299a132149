#!/usr/bin/env bash
# NotebookKit setup for a fresh Linux or macOS machine (Windows: environment/setup.ps1).
# Safe to run again at any time: every step is idempotent.
#
#   environment/setup.sh            CPU build (works everywhere)
#   environment/setup.sh --cuda     CUDA build of TorchSharp (NVIDIA GPU; needs nuget.org)
#   environment/setup.sh --no-jupyter   skip registering the Jupyter kernel
#
# What it does:
#   1. restores the pinned .NET tools (dotnet-interactive, dotnet-repl, pwsh: .config/dotnet-tools.json);
#   2. builds the solution (restoring only this platform's libtorch);
#   3. packs the kit into the local notebook feed ($NBKIT_HOME/feed, default ~/.cache/notebookkit/feed)
#      with a fresh prerelease version; that folder is registered once as the NuGet source
#      'notebookkit-local', so notebooks reference it with `#r "nuget: NotebookKit, *-*"`;
#   4. runs `nbkit doctor`, which loads torch and, on Linux systems whose libstdc++ is older than
#      GCC 13's (Debian 12, Ubuntu 22.04), applies the libstdc++ compatibility fix to TorchSharp;
#   5. when Jupyter is installed, registers the .NET kernels, bound to localhost only; they run the pinned
#      dotnet-interactive of this repository (a local tool: nothing is installed globally), so they start
#      for notebooks inside it.
set -euo pipefail

backend=cpu
jupyter_kernel=yes
for arg in "$@"; do
  case "$arg" in
    --cuda) backend=cuda ;;
    --cpu) backend=cpu ;;
    --no-jupyter) jupyter_kernel=no ;;
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (expected --cpu, --cuda, --no-jupyter)" >&2; exit 2 ;;
  esac
done

# A relative NBKIT_HOME names a folder relative to where this is run (resolved before the cd below).
if [ -n "${NBKIT_HOME:-}" ] && [ "${NBKIT_HOME#/}" = "$NBKIT_HOME" ]; then export NBKIT_HOME="$PWD/$NBKIT_HOME"; fi
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup.sh: the .NET 10 SDK is required (https://dot.net). 'dotnet' is not on PATH." >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step "tools: dotnet-interactive, dotnet-repl and pwsh (pinned in .config/dotnet-tools.json)"
dotnet tool restore

step "build ($backend backend)"
# The notebook feed is registered (once) as a NuGet source before the build, because a registered local source whose
# folder is missing (a cleared cache; a set-up with another NBKIT_HOME) fails every restore with NU1301.
# Its folder is the one the kit reads (KitPaths.Home in src/NotebookKit/KitPaths.cs).
feed="${NBKIT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/notebookkit}/feed"
mkdir -p "$feed"
if ! dotnet nuget list source --format short | grep -qF "$feed"; then
  # A 'notebookkit-local' left from a set-up with another NBKIT_HOME would block the name: point it here.
  dotnet nuget remove source notebookkit-local >/dev/null 2>&1 || true
  dotnet nuget add source "$feed" --name notebookkit-local
fi
if ! dotnet build NotebookKit.sln -c Release -p:TorchBackend="$backend" -nologo -clp:ErrorsOnly; then
  if [ "$backend" = cuda ]; then
    echo "setup.sh: the CUDA build needs TorchSharp-cuda-linux from nuget.org, which no configured NuGet source served." >&2
    echo "          Add nuget.org to your NuGet sources, or run environment/setup.sh without --cuda (CPU)." >&2
  fi
  exit 1
fi

step "pack the kit for notebooks"
# Same stamp format as the tests' packs (UTC, to the millisecond, here .000), so the newest build always wins.
version="0.1.0-dev.$(date -u +%Y%m%d%H%M%S)000"
dotnet pack src/NotebookKit/NotebookKit.csproj -c Release -o "$feed" -p:Version="$version" -p:TorchBackend="$backend" -nologo -clp:ErrorsOnly
# Keep the newest five builds; NuGet's own cache keeps what notebooks already restored.
ls -1t "$feed"/NotebookKit.*.nupkg 2>/dev/null | tail -n +6 | xargs rm -f
echo "NotebookKit $version in $feed (NuGet source 'notebookkit-local')"

step "check torch (applies the Linux libstdc++ fix where needed)"
dotnet run --project src/NotebookKit.Cli -c Release --no-build -p:TorchBackend="$backend" -- doctor

if [ "$jupyter_kernel" = yes ] && command -v jupyter >/dev/null 2>&1; then
  step "Jupyter kernel (.NET Interactive, bound to localhost only)"
  specs=$(mktemp -d); trap 'rm -rf "$specs"' EXIT
  dotnet dotnet-interactive jupyter install --path "$specs" >/dev/null
  for spec in "$specs"/.net-*/; do
    spec=${spec%/}
    # Run the repository's pinned dotnet-interactive (`dotnet dotnet-interactive`, the local tool) rather than a
    # global one; and bind the kernel's HTTP API to localhost: it listens on every interface by default, which in
    # a workshop exposes it to the room.
    perl -0pi -e 's/"dotnet",(\s*)"interactive",/"dotnet",$1"dotnet-interactive",/;
                  s/("argv":\s*\[[^\]]*?)(\s*\])/$1,\n    "--http-local-only"$2/ unless /"--http-local-only"/' "$spec/kernel.json"
    if ! grep -qF '"dotnet-interactive"' "$spec/kernel.json" || ! grep -qF '"--http-local-only"' "$spec/kernel.json"; then
      echo "setup.sh: dotnet-interactive wrote a kernel spec ($(basename "$spec")) this script cannot patch; not registered." >&2
      exit 1
    fi
    jupyter kernelspec install --user --replace --name "$(basename "$spec")" "$spec" >/dev/null
  done
  jupyter kernelspec list | grep -F ".net-" || true
else
  step "Jupyter not found: skipping kernel registration (VS Code's Polyglot Notebooks extension needs none)"
fi

printf '\nReady. Try:\n  dotnet run --project src/NotebookKit.Cli -c Release -- compare\n  open notebooks/00-setup.ipynb in VS Code or Jupyter\n'
