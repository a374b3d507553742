$packageName = 'putty.portable'
$url = 'http://the.earth.li/~sgtatham/putty/0.70/w32/putty.zip'
$url64 = 'http://the.earth.li/~sgtatham/putty/0.70/w64/putty.zip'
$checksum = '76b7e1e9b1c1fb42a8e0e5b2a0f3c4d1'
$checksum64 = 'b9f0c5c2bdf3bd8bcec5ab5a4b5a8b2f'
$toolsDir = "$(Split-Path -parent $MyInvocation.MyCommand.Definition)"

Install-ChocolateyZipPackage "$packageName" "$url" "$toolsDir" "$url64" `
  -Checksum "$checksum" -ChecksumType 'md5' -Checksum64 "$checksum64"
