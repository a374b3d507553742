/*
 * Code that runs when a package is installed, before anyone has used it.
 *
 * External variables (set per member by tollgate vet):
 *   path, basename, ext     member path below the package root
 *   ecosystem               "pypi", "npm" or "chocolatey"
 *   install_time            the member runs at install time
 *   code                    the member is a program (by extension or #!)
 * Meta: id (stable rule id, docs/vet.md), severity, summary, and
 * optionally install_severity (level when install_time) and check.
 */

rule setup_py_cmdclass_override
{
    meta:
        id = "install-hook"
        severity = "warn"
        summary = "setup.py replaces an install command (cmdclass): its own code runs when pip installs the package"
    strings:
        $cmdclass = /cmdclass\s*=/
        $cls = /class\s+\w+\s*\(\s*[\w.]*\b(install|develop|egg_info|bdist_egg|install_lib|install_scripts|easy_install)\s*\)\s*:/
    condition:
        basename == "setup.py" and $cmdclass and $cls
}

rule setup_cfg_cmdclass
{
    meta:
        id = "install-hook"
        severity = "warn"
        summary = "setup.cfg points an install command at package code (cmdclass)"
    strings:
        $a = /\ncmdclass\s*=\s*\n?\s*(install|develop|egg_info)\s*=/
    condition:
        basename == "setup.cfg" and $a
}

rule setup_py_network
{
    meta:
        id = "setup-network"
        severity = "block"
        summary = "setup.py talks to the network: a build script has no reason to fetch or send data"
    strings:
        $u1 = /urllib\d?\.(request\.)?urlopen\s*\(/
        $u2 = /\burlopen\s*\(/
        $u3 = /\burlretrieve\s*\(/
        $r1 = /\brequests\.(get|post|put|request)\s*\(/
        $h1 = /http\.client\.HTTPS?Connection\s*\(/
        $h2 = /\bhttpx\.(get|post|Client)\s*\(/
        $s1 = /socket\.socket\s*\(/
        $s2 = /\.connect\s*\(\s*\(\s*["'][\w.-]+["']\s*,\s*\d+/
    condition:
        basename == "setup.py" and any of them
}

rule setup_py_subprocess
{
    meta:
        id = "setup-subprocess"
        severity = "warn"
        summary = "setup.py starts other programs (subprocess, os.system): check what it runs"
    strings:
        $a = /\bsubprocess\.(Popen|call|run|check_call|check_output|getoutput)\s*\(/
        $b = /\bos\.(system|popen|exec[lv]p?e?|spawn[lv]p?e?)\s*\(/
        $c = /\bPopen\s*\(/
    condition:
        basename == "setup.py" and any of them
}

rule install_shell_download
{
    meta:
        id = "curl-pipe-shell"
        severity = "warn"
        install_severity = "block"
        summary = "downloads a script and runs it in a shell (curl | sh)"
    strings:
        $pipe = /\b(curl|wget)\s[^|\n;]{0,300}\|\s*(sudo\s+)?(ba|z|da|k)?sh\b/
        $run = /\b(curl|wget)\s[^\n]{0,300}(-o|-O|>)\s*[^\s;&|]+\s*(;|&&)\s*(chmod\s+[+0-7]*x|sh\s|bash\s|\.\/)/
        $b64 = /\bbase64\s+(-d|--decode)\s*\|\s*(ba)?sh\b/
    condition:
        (code or install_time) and any of them
}

rule npm_script_inline_eval
{
    meta:
        id = "obfuscated-exec"
        severity = "warn"
        install_severity = "block"
        summary = "an install command evaluates inline code built from encoded data"
    strings:
        $a = /node\s+-e\s+["'][^\n]{0,400}(Buffer\.from|atob|fromCharCode|eval\s*\()/
        $b = /python[0-9.]*\s+-c\s+["'][^\n]{0,400}(b64decode|exec\s*\(|decompress|fromhex)/
    condition:
        install_time and any of them
}
