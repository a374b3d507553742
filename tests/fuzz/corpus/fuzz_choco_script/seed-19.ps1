$ErrorActionPreference = 'Stop'

$packageArgs = @{
  packageName    = 'keepass.install'
  fileType       = 'exe'
  softwareName   = 'KeePass Password Safe*'
  url            = 'https://sourceforge.net/projects/keepass/files/KeePass%202.x/2.57.1/KeePass-2.57.1-Setup.exe/download'
  checksum       = '5d7d1c7a0f8a1bd2e2b8f2bbd1a9e0f43fd6d51fb2f2ba4a5b9f2f0a3d0c1e2f'
  checksumType   = 'sha256'
  url64bit       = 'https://sourceforge.net/projects/keepass/files/KeePass%202.x/2.57.1/KeePass-2.57.1-Setup.exe/download'
  silentArgs     = '/VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP-'
  validExitCodes = @(0)
}

Install-ChocolateyPackage @packageArgs
