; Inno Setup script for normgui's Windows installer (Inno Setup 6.3 or later).
;
; On Windows, from the repository root, once PyInstaller has built dist\normgui:
;     pyinstaller --noconfirm resources\packaging\normgui.spec
;     iscc resources\packaging\normgui.iss
; makes dist\normgui-<version>-setup.exe. The version is read from normgui.exe (the spec writes
; it there); `iscc /DAppVersion=1.2.3 ...` overrides it. The icon is the one the spec renders
; into build\normgui\icons.

#define AppName "normgui"
#define AppExe "normgui.exe"
#define Root AddBackslash(SourcePath) + "..\.."
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(Root + "\dist\normgui\" + AppExe, "ProductVersion")
#endif

[Setup]
; The same id on every release, so that a new version replaces the old one.
AppId=org.normgui.normgui
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The normgui developers
AppCopyright=normgui: MIT licence. Qt and PySide6: LGPLv3.
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Installs for the current user without administrator rights, or for everyone if asked.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=normgui-{#AppVersion}-setup
SetupIconFile={#Root}\build\normgui\icons\normgui.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\normgui\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "See what normalization does inside a neural network"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
