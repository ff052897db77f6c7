; Inno Setup 6 script for ReadingRoom on Windows (64-bit).
;
; NOT TESTED: there is no Windows machine in this project's CI. See packaging/README.md.
;
; Build, from the repository root on Windows, after the PyInstaller bundle exists in
; bundle\readingroom\ (see packaging/README.md):
;   iscc /DAppVersion=0.1.0 packaging\windows\readingroom.iss
; AppVersion must be __version__ from readingroom\__init__.py; the script refuses to build
; without it rather than keep a second copy of the version here.
;
; What it does: installs the one-folder bundle into Program Files, registers .rrf
; (application/vnd.readingroom.review) with the ProgID ReadingRoom.Review.1 opened by
; readingroomw.exe (the windowed twin of readingroom.exe, so no console window appears beside
; the viewer), adds a Start menu entry, locks down the system configuration folder, and
; removes all of it on uninstall (audit logs and keys in user profiles are left alone).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (from readingroom\__init__.py)
#endif

#define AppName "ReadingRoom"
#define AppId "io.github.readingroom.ReadingRoom"
#define ProgId "ReadingRoom.Review.1"
#define MimeType "application/vnd.readingroom.review"
#define Bundle "..\..\bundle\readingroom"
#define Icons "..\..\readingroom\resources\icons"

[Setup]
; A fixed GUID: upgrades and uninstall find the installation by it. Never change it.
AppId={{2E3CE289-1D4A-4ABF-A996-CA043506F7C4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The ReadingRoom developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-machine install: the reading-room workstation is administered, readers are not admins.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=ReadingRoom-{#AppVersion}-setup
SetupIconFile={#Icons}\readingroom.ico
UninstallDisplayIcon={app}\readingroom.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Windows 10 2004 (build 19041) is the first with WDA_EXCLUDEFROMCAPTURE (docs/threat-model.md).
MinVersion=10.0.19041

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Icons}\readingroom-review.ico"; DestDir: "{app}"; Flags: ignoreversion

[Dirs]
; The system-wide workstation configuration (readingroom\config.py: system_config_path).
Name: "{commonappdata}\ReadingRoom"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\readingroomw.exe"; \
    Comment: "Read sealed review files"; AppUserModelID: "{#AppId}"

[Registry]
; File association (HKA = HKLM\Software\Classes for this per-machine install).
Root: HKA; Subkey: "Software\Classes\.rrf"; ValueType: string; ValueName: ""; \
    ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.rrf"; ValueType: string; ValueName: "Content Type"; \
    ValueData: "{#MimeType}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.rrf\OpenWithProgids"; ValueType: string; \
    ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; \
    ValueData: "ReadingRoom review file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; \
    ValueData: "{app}\readingroom-review.ico,0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; \
    ValueName: ""; ValueData: """{app}\readingroomw.exe"" view ""%1"""
; MIME type -> extension, so that browsers and mail clients save attachments as .rrf.
Root: HKA; Subkey: "Software\Classes\MIME\Database\Content Type\{#MimeType}"; ValueType: string; \
    ValueName: "Extension"; ValueData: ".rrf"; Flags: uninsdeletekey
; "Open with" lists the viewer only for the types it can open.
Root: HKA; Subkey: "Software\Classes\Applications\readingroomw.exe\SupportedTypes"; \
    ValueType: string; ValueName: ".rrf"; ValueData: ""; Flags: uninsdeletekey

[Run]
; The configuration folder must not be writable by readers: a writable workstation.toml could
; trust any publisher or move the audit log (config.py refuses such a file only on POSIX, and
; relies on this ACL on Windows). Inherited ProgramData rights let Users create files, so
; inheritance is removed: Administrators (S-1-5-32-544) and SYSTEM (S-1-5-18) full control,
; Users (S-1-5-32-545) read and execute only.
Filename: "{sys}\icacls.exe"; \
    Parameters: """{commonappdata}\ReadingRoom"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; \
    Flags: runhidden waituntilterminated; StatusMsg: "Securing the configuration folder..."

[UninstallDelete]
; Only what the installer created. Audit logs, keys and trust stores under user profiles and
; the administrator's workstation.toml are records or configuration: never deleted here.
Type: dirifempty; Name: "{commonappdata}\ReadingRoom"
