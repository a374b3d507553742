/*
 * Credential and wallet theft: the files stealers read. One reference is a
 * warning (SSH and cloud libraries know where their keys live); several
 * kinds of secrets in one file, browser password stores with their
 * decryption key, or crypto-wallet directories block.
 */

rule credential_paths
{
    meta:
        id = "credential-paths"
        severity = "info"
        install_severity = "block"
        summary = "reads where credentials are stored (SSH keys, cloud or registry tokens, browser profiles)"
    strings:
        $ssh = /\.ssh[\/\\]+(id_rsa|id_ed25519|id_ecdsa|id_dsa|known_hosts)/
        $aws = /\.aws[\/\\]+credentials/
        $gcloud = /\.config[\/\\]+gcloud[\/\\]+(credentials\.db|application_default_credentials)/
        $azure = /\.azure[\/\\]+accessTokens\.json/
        $docker = /\.docker[\/\\]+config\.json/
        $kube = /\.kube[\/\\]+config/
        $npmrc = /["'`~\/\\]\.npmrc["'`]/
        $pypirc = /["'`~\/\\]\.pypirc["'`]/
        $gitcred = /\.git-credentials/
        $netrc = /["'`~\/\\]\.netrc["'`]/
        $shadow = /\/etc\/shadow\b/
        $chrome = /Google[\/\\]+Chrome[\/\\]+User Data/
        $edge = /Microsoft[\/\\]+Edge[\/\\]+User Data/
        $brave = /BraveSoftware[\/\\]+Brave-Browser/
        $firefox = /Mozilla[\/\\]+Firefox[\/\\]+Profiles/
        $opera = /Opera Software[\/\\]+Opera/
        $discord = /discord(canary|ptb)?[\/\\]+Local Storage[\/\\]+leveldb/
    condition:
        code and any of them
}

rule credential_harvest
{
    meta:
        id = "credential-theft"
        severity = "block"
        summary = "collects several kinds of secrets in one place (SSH keys, cloud tokens, browser or Discord stores): the shape of a credential stealer"
    strings:
        $ssh = /\.ssh[\/\\]+(id_rsa|id_ed25519|id_ecdsa|id_dsa)/
        $aws = /\.aws[\/\\]+credentials/
        $gcloud = /\.config[\/\\]+gcloud/
        $docker = /\.docker[\/\\]+config\.json/
        $kube = /\.kube[\/\\]+config/
        $npmrc = /["'`~\/\\]\.npmrc["'`]/
        $pypirc = /["'`~\/\\]\.pypirc["'`]/
        $gitcred = /\.git-credentials/
        $browser = /(Google[\/\\]+Chrome|Microsoft[\/\\]+Edge|BraveSoftware|Mozilla[\/\\]+Firefox|Opera Software)/
        $discord = /discord(canary|ptb)?[\/\\]+Local Storage[\/\\]+leveldb/
        $shadow = /\/etc\/shadow\b/
    condition:
        code and 3 of them
}

rule browser_password_store
{
    meta:
        id = "credential-theft"
        severity = "block"
        summary = "reads a browser's saved passwords or cookies together with the key that decrypts them"
    strings:
        $login = /Login Data|Cookies|Web Data/
        $state = "Local State"
        $key1 = "encrypted_key"
        $key2 = "CryptUnprotectData"
        $key3 = "os_crypt"
        $sql = /SELECT\s+(origin_url|action_url)[^\n]{0,80}password_value/ nocase
    condition:
        code and (($login and $state and any of ($key*)) or $sql)
}

rule discord_token_grabber
{
    meta:
        id = "credential-theft"
        severity = "block"
        summary = "searches Discord's local storage for login tokens"
    strings:
        $store = /Local Storage[\/\\]+leveldb/
        $re1 = /\[\\w-\]\{24(,26)?\}\\\.\[\\w-\]\{6\}\\\.\[\\w-\]\{2[57]/
        $re2 = /mfa\\\.\[\\w-\]\{84\}/
        $re3 = "dQw4w9WgXcQ:"
    condition:
        code and $store and any of ($re*)
}

rule wallet_paths
{
    meta:
        id = "wallet-theft"
        severity = "warn"
        install_severity = "block"
        summary = "refers to a cryptocurrency wallet's files or browser-extension storage"
    strings:
        $w1 = /Exodus[\/\\]+exodus\.wallet/ nocase
        $w2 = /Electrum[\/\\]+wallets/ nocase
        $w3 = /atomic[\/\\]+Local Storage[\/\\]+leveldb/ nocase
        $w4 = /Ethereum[\/\\]+keystore/ nocase
        $w5 = /\bwallet\.dat\b/
        $w6 = /(Armory|Jaxx[\/\\]+Local Storage|Coinomi[\/\\]+Coinomi[\/\\]+wallets|Guarda[\/\\]+Local Storage|Zcash[\/\\]|Bitcoin[\/\\]+wallets)/
        $w7 = "nkbihfbeogaeaoehlefnkodbefgpgknn"
        $w8 = "bfnaelmomeimhlpmgjnjophhpkkoljpa"
        $w9 = "fhbohimaelbohpjbbldcngcnapndodjp"
        $w10 = "hnfanknocfeofbddgcijnmhnfnkdnaad"
        $w11 = "ibnejdfjmmkpcnlpebklmnkoeoihofec"
        $w12 = "egjidjbpglichdcondbcbdnbeeppgdph"
    condition:
        code and any of them
}

rule wallet_harvest
{
    meta:
        id = "wallet-theft"
        severity = "block"
        summary = "collects the files of several cryptocurrency wallets: the shape of a wallet stealer"
    strings:
        $w1 = /Exodus[\/\\]+exodus\.wallet/ nocase
        $w2 = /Electrum[\/\\]+wallets/ nocase
        $w3 = /atomic[\/\\]+Local Storage[\/\\]+leveldb/ nocase
        $w4 = /Ethereum[\/\\]+keystore/ nocase
        $w5 = /\bwallet\.dat\b/
        $w6 = /(Armory|Jaxx[\/\\]+Local Storage|Coinomi[\/\\]+Coinomi[\/\\]+wallets|Guarda[\/\\]+Local Storage|Zcash[\/\\]|Bitcoin[\/\\]+wallets)/
        $w7 = "nkbihfbeogaeaoehlefnkodbefgpgknn"
        $w8 = "bfnaelmomeimhlpmgjnjophhpkkoljpa"
        $w9 = "fhbohimaelbohpjbbldcngcnapndodjp"
        $w10 = "hnfanknocfeofbddgcijnmhnfnkdnaad"
        $w11 = "ibnejdfjmmkpcnlpebklmnkoeoihofec"
        $w12 = "egjidjbpglichdcondbcbdnbeeppgdph"
    condition:
        code and 2 of them
}

rule env_dump_sent
{
    meta:
        id = "env-exfil"
        severity = "block"
        summary = "sends the whole process environment (where tokens and keys live) over the network"
    strings:
        $py1 = /\b(post|put|urlopen|request|Request|send|sendall)\s*\([^\n]{0,200}(dict\s*\(\s*os\.environ\s*\)|os\.environ\.copy\s*\(\s*\)|json\.dumps\s*\(\s*(dict\s*\()?\s*os\.environ)/
        $py2 = /\b(data|json|params)\s*=\s*(dict\s*\(\s*)?os\.environ\b\s*\)?\s*[,)]/
        $js1 = /\b(write|send|post|request|fetch|end)\s*\([^\n]{0,200}JSON\.stringify\s*\(\s*process\.env\s*\)/
        $js2 = /(Buffer\.from|btoa)\s*\(\s*JSON\.stringify\s*\(\s*process\.env\s*\)/
        $js3 = /\bbody\s*:\s*JSON\.stringify\s*\(\s*process\.env\s*\)/
    condition:
        code and any of them
}

rule env_dump_and_network
{
    meta:
        id = "env-exfil"
        severity = "info"
        install_severity = "block"
        summary = "serialises the whole environment in a file that also sends data over the network"
    strings:
        $d1 = /(dict\s*\(\s*os\.environ\s*\)|json\.dumps\s*\(\s*(dict\s*\()?\s*os\.environ|os\.environ\.copy\s*\(\s*\))/
        $d2 = /JSON\.stringify\s*\(\s*process\.env\s*\)/
        $n1 = /\brequests\.(post|put)\s*\(/
        $n2 = /\burlopen\s*\(/
        $n3 = /\bhttps?\.request\s*\(/
        $n4 = /\bfetch\s*\(/
        $n5 = /\bdns\.(lookup|resolve)/
    condition:
        code and any of ($d*) and any of ($n*)
}
