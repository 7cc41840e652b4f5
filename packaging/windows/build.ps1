# Build Atlas Desktop for Windows: the one-folder application dist\atlas-desktop\ (PyInstaller,
# the same spec as Linux) and an installer dist\AtlasDesktop-<version>-setup.exe (Inno Setup).
#
# NOT RUN YET: written and reviewed on Linux, where it cannot run (see packaging\README.md).
#
# Needs: Python 3.11+ (the `py` launcher), Node.js 18+ (npm, for the citation engine),
# Inno Setup 6 (iscc.exe on PATH or in its default folder). Run from any folder:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-SkipInstaller]
param([switch]$SkipInstaller)

$ErrorActionPreference = "Stop"
$Repo = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Repo

function Invoke-Step([string]$What, [scriptblock]$Command) {
    Write-Host "==> $What"
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

$Venv = Join-Path $Repo ".venv-windows"
$Python = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Python)) {
    Invoke-Step "Creating $Venv" { py -3.11 -m venv $Venv }
}
Invoke-Step "Updating pip" {
    & $Python -m pip install --disable-pip-version-check -q --upgrade "pip>=23.2"
}
Invoke-Step "Installing Atlas Desktop and PyInstaller" {
    & $Python -m pip install --disable-pip-version-check -q -e ".[package]"
}
if (Test-Path (Join-Path $Repo "js\package-lock.json")) {
    Invoke-Step "Fetching the citation engine (npm ci)" {
        Push-Location js; npm ci --no-audit --no-fund --ignore-scripts; Pop-Location
    }
}
$Version = (& $Python -c "import atlas_desktop; print(atlas_desktop.__version__)").Trim()

Invoke-Step "Building dist\atlas-desktop with PyInstaller" {
    & $Python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller `
        packaging\atlas-desktop.spec
}
# The windowed atlas-desktop.exe has no console; its twin atlas-desktop-cli.exe prints.
Invoke-Step "Self-test of the built application" {
    $env:QT_QPA_PLATFORM = "offscreen"
    & dist\atlas-desktop\atlas-desktop-cli.exe --self-test
    Remove-Item Env:\QT_QPA_PLATFORM
}
if ($SkipInstaller) { return }

$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 (ISCC.exe) was not found; install it or use -SkipInstaller" }
Invoke-Step "Building the installer" {
    & $Iscc "/DAppVersion=$Version" "/DSourceDir=$Repo\dist\atlas-desktop" "/O$Repo\dist" `
        packaging\windows\atlas-desktop.iss
}
Write-Host "Built dist\AtlasDesktop-$Version-setup.exe"
