$ErrorActionPreference = 'Stop'

$packageArgs = @{
  packageName  = 'winscp.install'
  fileType     = 'exe'
  url          = 'https://cdn.winscp.net/files/WinSCP-5.21.8-Setup.exe'
  checksum     = '4fbdb9e7d5f0f3d8a3c6e8a3b2f61d9c0a7e5b21'
  checksumType = 'sha256'
  silentArgs   = '/VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP-'
}
Install-ChocolateyPackage @packageArgs
