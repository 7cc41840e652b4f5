; Inno Setup 6 definition of the Windows installer. Built by packaging\windows\build.ps1 after
; PyInstaller has made dist\atlas-desktop\ (it passes /DAppVersion and /DSourceDir).
; NOT BUILT YET: see packaging\README.md.
;
; Installs for the current user by default (no administrator rights needed), or for all users
; when the user chooses so. The library is never touched by an uninstall: it lives in the
; user's data folder (%LOCALAPPDATA%\AtlasDesktop\atlas-desktop by default), not in the program folder.

#define AppName "Atlas Desktop"
#define AppId "io.github.atlasdesktop.AtlasDesktop"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\atlas-desktop"
#endif

[Setup]
; The AppId must never change between versions: upgrades find the installed copy by it.
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Atlas Desktop developers
AppPublisherURL=https://github.com/atlasdesktop/atlas-desktop
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=AtlasDesktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\atlas-desktop.ico
UninstallDisplayIcon={app}\atlas-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\atlas-desktop.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\atlas-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\atlas-desktop.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
