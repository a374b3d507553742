/*
 * Exfiltration and payload fetch: where stolen data goes and where second
 * stages come from. A URL alone is a warning (libraries for these services
 * mention them); together with code that collects host data, or in code
 * that runs at install time, it blocks.
 */

rule webhook_endpoint
{
    meta:
        id = "exfil-webhook"
        severity = "warn"
        install_severity = "block"
        summary = "posts to a chat webhook (Discord, Telegram bot API, Slack): a common drop box for stolen data"
    strings:
        $discord = /discord(app)?\.com\/api\/webhooks\/[0-9]{5,}/
        $telegram = /api\.telegram\.org\/bot[0-9]{6,}:[A-Za-z0-9_-]{20,}/
        $slack = /hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{12,}/
        $tg_send = /api\.telegram\.org\/bot[^\n]{0,120}\/(sendMessage|sendDocument)/
    condition:
        code and any of them
}

rule webhook_with_collection
{
    meta:
        id = "exfil-webhook"
        severity = "block"
        summary = "collects host or user data and sends it to a chat webhook"
    strings:
        $discord = /discord(app)?\.com\/api\/webhooks\//
        $telegram = /api\.telegram\.org\/bot/
        $slack = /hooks\.slack\.com\/services\//
        $c1 = /os\.environ\b/
        $c2 = /getpass\.getuser\s*\(/
        $c3 = /socket\.gethostname\s*\(/
        $c4 = /platform\.(node|uname)\s*\(/
        $c5 = /process\.env\b/
        $c6 = /os\.(hostname|userInfo|homedir)\s*\(/
        $c7 = /os\.getlogin\s*\(/
        $c8 = /(Login Data|Local State|\.ssh|\.aws|leveldb)/
    condition:
        code and any of ($discord, $telegram, $slack) and 2 of ($c*)
}

rule paste_site
{
    meta:
        id = "paste-site"
        severity = "warn"
        install_severity = "block"
        summary = "fetches from or posts to a paste site, where second-stage payloads and stolen data are kept"
    strings:
        $a = /pastebin\.com\/(raw|api\/api_post)/
        $b = /paste\.ee\/r\//
        $c = /hastebin\.com\/(raw|documents)/
        $d = /rentry\.(co|org)\/[\w-]+\/raw/
        $e = /ghostbin\.(co|com)\//
        $f = /pastes\.io\/raw/
        $g = /controlc\.com\//
        $h = /dpaste\.(com|org)\/[\w]+\/raw/
        $i = /paste\.c-net\.org/
    condition:
        code and any of them
}

rule paste_site_exec
{
    meta:
        id = "paste-site"
        severity = "block"
        summary = "downloads from a paste site and executes the result"
    strings:
        $paste = /(pastebin\.com|paste\.ee|hastebin\.com|rentry\.(co|org)|ghostbin\.|pastes\.io|controlc\.com|dpaste\.(com|org))\/[\w\/-]+/
        $x1 = /\b(exec|eval)\s*\(/
        $x2 = /\bnew\s+Function\s*\(/
        $x3 = /\b(Invoke-Expression|iex)\b/ nocase
        $x4 = /\|\s*(ba)?sh\b/
    condition:
        code and for any i in (1..#paste) : (
            for any of ($x*) : ($ in (@paste[i] - 300 .. @paste[i] + 400))
        )
}

rule tunnel_service
{
    meta:
        id = "tunnel-service"
        severity = "warn"
        install_severity = "block"
        summary = "contacts a tunnelling or request-capture service (ngrok, Cloudflare quick tunnels, interactsh, pipedream, ...) used to receive stolen data"
    strings:
        $ngrok = /[\w-]+\.(ngrok\.io|ngrok-free\.app|ngrok\.app|ngrok-free\.dev)/
        $cf = /[\w-]+\.trycloudflare\.com/
        $serveo = /[\w-]+\.serveo\.net/
        $lt = /[\w-]+\.(loca\.lt|localtunnel\.me)/
        $oast = /[\w-]+\.(oast\.(fun|pro|live|site|online|me)|interact\.sh|oastify\.com|burpcollaborator\.net)/
        $pd = /[\w-]+\.m\.pipedream\.net/
        $wh = /webhook\.site\/[0-9a-f]{8}-/
        $rb = /[\w-]+\.(requestbin\.net|x\.pipedream\.net)/
        $canary = /canarytokens\.com\//
    condition:
        code and any of them
}

rule tunnel_with_collection
{
    meta:
        id = "tunnel-service"
        severity = "block"
        summary = "collects host or user data and sends it to a tunnelling or request-capture service"
    strings:
        $t1 = /(ngrok\.io|ngrok-free\.app|trycloudflare\.com|serveo\.net|loca\.lt|oast\.(fun|pro|live|site|online|me)|interact\.sh|oastify\.com|burpcollaborator\.net|pipedream\.net|webhook\.site|requestbin)/
        $c1 = /os\.environ\b/
        $c2 = /getpass\.getuser\s*\(/
        $c3 = /socket\.gethostname\s*\(/
        $c4 = /platform\.(node|uname)\s*\(/
        $c5 = /process\.env\b/
        $c6 = /os\.(hostname|userInfo|homedir)\s*\(/
        $c7 = /os\.getlogin\s*\(/
        $c8 = /__dirname/
    condition:
        code and $t1 and 2 of ($c*)
}

rule raw_ip_url
{
    meta:
        id = "raw-ip-url"
        severity = "warn"
        install_severity = "block"
        summary = "talks to a raw public IP address instead of a host name"
        check = "public_ip"
    strings:
        $a = /(https?|ftp|wss?):\/\/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}/
    condition:
        code and $a
}

rule powershell_download_exec
{
    meta:
        id = "powershell-download-exec"
        severity = "block"
        summary = "PowerShell downloads a script and runs it (Invoke-Expression of DownloadString / Invoke-WebRequest)"
    strings:
        $a = /\b(iex|Invoke-Expression)\s*\(?\s*\(?\s*(New-Object\s+(System\.)?Net\.WebClient\s*\)?\s*\.\s*Download(String|Data)|(iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\s)/ nocase
        $b = /(\.DownloadString\s*\([^\n)]{0,300}\)|\b(iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\s+[^\n|]{0,300})\s*\|\s*(iex|Invoke-Expression)\b/ nocase
        $c = /\$\w+\s*=\s*[^\n]{0,100}\.DownloadString\s*\([^\n]{0,300}\n[^\n]{0,200}\b(iex|Invoke-Expression)\s*[\s(]*\$\w+/ nocase
    condition:
        (code or install_time) and any of them
}

rule choco_download_without_checksum
{
    meta:
        id = "choco-download-no-checksum"
        severity = "warn"
        install_severity = "block"
        summary = "the Chocolatey script downloads an installer without a checksum: whatever the server returns gets run"
    strings:
        $dl = /(Install-ChocolateyPackage|Install-ChocolateyZipPackage|Get-ChocolateyWebFile|Install-ChocolateyVsixPackage|Install-ChocolateyInstallPackage)\b/ nocase
        $url = /(-Url(64bit)?\s|\burl(64(bit)?)?\s*=|Url(64bit)?\s*=|https?:\/\/)/ nocase
        $sum = /checksum/ nocase
    condition:
        ext == "ps1" and $dl and $url and not $sum
}
