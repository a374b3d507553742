/*
 * Obfuscation: code that hides what it does until it runs. Decoding a blob
 * and executing the result is the common shape of packaged malware; plain
 * exec/eval (a version file read by setup.py) is not flagged.
 */

rule py_exec_decoded
{
    meta:
        id = "obfuscated-exec"
        severity = "block"
        summary = "executes decoded data: exec/eval/compile of a base64, hex, zlib, marshal or reversed blob"
    strings:
        $a = /\b(exec|eval)\s*\(\s*[^\n]{0,200}\b(b64decode|b32decode|b85decode|a85decode|decodebytes|decompress|marshal\.loads|fromhex|unhexlify|a2b_base64|a2b_hex|codecs\.decode|rot.?13)\s*\(/
        $b = /\b(exec|eval)\s*\(\s*[^\n]{0,120}\[\s*::\s*-1\s*\]/
        $c = /\bcompile\s*\(\s*[^\n]{0,200}\b(b64decode|decompress|marshal\.loads|fromhex|unhexlify)\s*\(/
        $d = /\bexec\s*\(\s*marshal\.loads\s*\(/
        $e = /\b(exec|eval)\s*\(\s*__import__\s*\(\s*["'](base64|zlib|marshal|codecs|binascii|lzma|bz2)["']\s*\)/
    condition:
        code and any of them
}

rule py_long_blob_then_exec
{
    meta:
        id = "obfuscated-exec"
        severity = "warn"
        install_severity = "block"
        summary = "a long encoded blob is decoded in a file that also calls exec/eval"
        check = "long_blob"
    strings:
        $dec = /\b(b64decode|decompress|marshal\.loads|fromhex|unhexlify)\s*\(/
        $exec = /(^|[^\w.])(exec|eval)\s*\(/
    condition:
        code and (ext == "py" or ext == "pyw" or ext == "pth") and $dec and $exec
}

rule js_eval_decoded
{
    meta:
        id = "obfuscated-exec"
        severity = "block"
        summary = "evaluates decoded data: eval/Function of atob, Buffer.from(base64/hex) or fromCharCode"
    strings:
        $a = /\beval\s*\(\s*(atob|Buffer\.from|unescape|decodeURIComponent|String\.fromCharCode|require\(\s*["']zlib["']\s*\))\s*\(/
        $b = /\bnew\s+Function\s*\(\s*(atob|Buffer\.from|String\.fromCharCode)\s*\(/
        $c = /\beval\s*\(\s*Buffer\.from\s*\([^)]{0,4000}["'](base64|hex)["']\s*\)/
        $d = /\bFunction\s*\(\s*Buffer\.from\s*\([^)]{0,4000}["'](base64|hex)["']\s*\)\s*\.toString\s*\(/
    condition:
        code and any of them
}

rule python_import_trick
{
    meta:
        id = "import-trick"
        severity = "warn"
        install_severity = "block"
        summary = "reaches exec/eval or a decoder through __import__/getattr/builtins lookups, a way to hide calls from readers and scanners"
    strings:
        $a = /getattr\s*\(\s*(__builtins__|builtins|__import__\s*\(\s*["']builtins["']\s*\))\s*,\s*["'](exec|eval|compile|__import__)["']/
        $b = /__builtins__\s*(\.__dict__)?\s*\[\s*["'](exec|eval|compile)["']\s*\]/
        $c = /__import__\s*\(\s*["'](base64|marshal|zlib)["']\s*\)\s*\.\s*(b64decode|loads|decompress)/
        $d = /__import__\s*\(\s*["'][a-z_]{3,12}["']\s*\[\s*::\s*-1\s*\]\s*\)/
        $e = /globals\s*\(\s*\)\s*\[\s*["']__builtins__["']\s*\]/
    condition:
        code and any of them
}

rule reversed_string
{
    meta:
        id = "reversed-string"
        severity = "warn"
        install_severity = "block"
        summary = "a string literal is stored reversed and flipped at run time, hiding a URL or a command"
    strings:
        $url = /["'][^"'\n]{0,200}\/\/:s?ptth/
        $cmd = /["'](metsys|lave|cexe|llehsrewop|hsab|lruc|tegw)["']\s*\[\s*::\s*-1\s*\]/
        $js = /\.split\s*\(\s*["']{2}\s*\)\s*\.reverse\s*\(\s*\)\s*\.join\s*\(\s*["']{2}\s*\)[^\n]{0,40}(eval|Function|require)/
    condition:
        code and any of them
}

rule reversed_url_block
{
    meta:
        id = "reversed-string"
        severity = "block"
        summary = "a URL is stored reversed and flipped at run time: nothing legitimate hides a URL this way"
    strings:
        $a = /["'][^"'\n]{4,200}\/\/:s?ptth["']\s*\[\s*::\s*-1\s*\]/
        $b = /["'][^"'\n]{4,200}\/\/:s?ptth["']\s*\.split\s*\(/
    condition:
        code and any of them
}

rule powershell_encoded
{
    meta:
        id = "obfuscated-exec"
        severity = "warn"
        install_severity = "block"
        summary = "runs PowerShell with an encoded command or executes a base64-decoded script"
    strings:
        $a = /powershell(\.exe)?[^\n]{0,80}\s-(e|en|enc|enco|encodedcommand)\s+[A-Za-z0-9+\/]{40,}/ nocase
        $b = /(iex|Invoke-Expression)[\s(]+[^\n]{0,120}FromBase64String/ nocase
        $c = /FromBase64String[^\n]{0,200}\|\s*(iex|Invoke-Expression)\b/ nocase
    condition:
        code and any of them
}

rule js_obfuscator_io
{
    meta:
        id = "obfuscated-code"
        severity = "warn"
        summary = "machine-obfuscated JavaScript (_0x identifier tables): its behaviour cannot be read"
    strings:
        $hexname = /\b_0x[0-9a-f]{4,6}\b/
        $rot = /_0x[0-9a-f]{4,6}\s*\[\s*["']push["']\s*\]\s*\(\s*_0x[0-9a-f]{4,6}\s*\[\s*["']shift["']\s*\]/
    condition:
        code and (ext == "js" or ext == "cjs" or ext == "mjs") and
        (#hexname > 200 or $rot)
}
