#!/bin/bash
# PEP 740 attestations and PyPI provenance: the real attestations in
# tests/data/third_party/pypi-attestations verify with their real
# identities and fail with a wrong identity, a modified distribution, a
# renamed distribution, a modified attestation, or the wrong trust root.
source "$(dirname "$0")/lib.bash"

D="$TG_SOURCE_DIR/tests/data/third_party/pypi-attestations"
STAGING="$TG_SOURCE_DIR/tests/data/third_party/sigstore/staging/trusted_root.json"
PROD="$TG_SOURCE_DIR/tests/data/third_party/sigstore/prod/trusted_root.json"
V() { "$TG_BIN" verify "$@"; }
GH=(--repository trailofbits/pypi-attestations --workflow release.yml)
SDIST=pypi_attestations-0.0.19.tar.gz
cd "$TG_TMP" || exit 1

# Production-signed, GitHub Trusted Publisher.
expect_exit 0 V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" "${GH[@]}"
expect_out_contains "predicate       https://docs.pypi.org/attestations/publish/v1" \
	V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" "${GH[@]}"
expect_exit 0 V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" \
	--identity "https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19" \
	--issuer https://token.actions.githubusercontent.com
expect_exit 0 V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" "${GH[@]}" --ref refs/tags/v0.0.19
expect_exit 1 V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" "${GH[@]}" --ref refs/tags/v0.0.18
expect_err_contains "identity: source repository trailofbits/pypi-attestations does not match evil/fork" \
	V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" --repository evil/fork --workflow release.yml
expect_err_contains "does not match wrong.yml" \
	V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" --repository trailofbits/pypi-attestations --workflow wrong.yml
expect_err_contains "identity: SAN" \
	V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" --identity fake@example.com --issuer https://token.actions.githubusercontent.com
# Verifying a production attestation against the staging root fails.
expect_err_contains "tlog: log id of the entry is not in the trusted root" \
	V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" "${GH[@]}" --trusted-root "$STAGING"

# SLSA provenance facts are shown.
expect_out_contains "SLSA source     https://github.com/trailofbits/pypi-attestations @ refs/tags/v0.0.19 gitCommit:08802efe1f8e5fec4ad842d6b8ce97656092ee72" \
	V --attestation "$D/$SDIST.slsa.attestation" "$D/$SDIST" "${GH[@]}"
slsa=$(V --attestation "$D/$SDIST.slsa.attestation" "$D/$SDIST" "${GH[@]}" --format json |
	/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["attestations"][0]["slsa"]["builder_id"])')
expect_eq "https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19" "$slsa" "SLSA builder id"

# A modified distribution: one byte flipped.
/usr/bin/python3 - "$D/$SDIST" "$TG_TMP/$SDIST" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[len(b) // 2] ^= 1
open(sys.argv[2], 'wb').write(b)
PY
expect_err_contains "in-toto statement: no subject has the artifact's SHA-256" \
	V --attestation "$D/$SDIST.publish.attestation" "$TG_TMP/$SDIST" "${GH[@]}"
# A renamed distribution with the right bytes.
cp "$D/$SDIST" "$TG_TMP/pypi_attestations-0.0.20.tar.gz"
expect_err_contains "attestation subject: name pypi_attestations-0.0.19.tar.gz does not name" \
	V --attestation "$D/$SDIST.publish.attestation" "$TG_TMP/pypi_attestations-0.0.20.tar.gz" "${GH[@]}"
# sdist names compare after PEP 503 normalisation.
cp "$D/$SDIST" "$TG_TMP/pypi-attestations-0.0.19.tar.gz"
expect_exit 0 V --attestation "$D/$SDIST.publish.attestation" "$TG_TMP/pypi-attestations-0.0.19.tar.gz" "${GH[@]}"

# A modified attestation: the statement re-encoded with another subject
# digest (the signature no longer verifies), and a changed signature.
/usr/bin/python3 - "$D/$SDIST.publish.attestation" "$TG_TMP" <<'PY'
import base64, json, sys
a = json.load(open(sys.argv[1]))
st = json.loads(base64.b64decode(a["envelope"]["statement"]))
st["subject"][0]["digest"]["sha256"] = "0" * 64
b = json.loads(json.dumps(a)); b["envelope"]["statement"] = base64.b64encode(json.dumps(st).encode()).decode()
json.dump(b, open(sys.argv[2] + "/statement.attestation", "w"))
c = json.loads(json.dumps(a)); s = bytearray(base64.b64decode(c["envelope"]["signature"])); s[10] ^= 1
c["envelope"]["signature"] = base64.b64encode(bytes(s)).decode()
json.dump(c, open(sys.argv[2] + "/signature.attestation", "w"))
PY
expect_err_contains "signature: DSSE signature over the PAE does not verify" \
	V --attestation "$TG_TMP/statement.attestation" "$D/$SDIST" "${GH[@]}"
expect_err_contains "signature: DSSE signature over the PAE does not verify" \
	V --attestation "$TG_TMP/signature.attestation" "$D/$SDIST" "${GH[@]}"

# Provenance object: verifies, and its publisher must agree with the cert.
expect_out_contains "publisher       GitHub trailofbits/pypi-attestations release.yml" \
	V --provenance "$D/$SDIST.provenance" "$D/$SDIST" "${GH[@]}"
/usr/bin/python3 - "$D/$SDIST.provenance" "$TG_TMP/bad.provenance" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["attestation_bundles"][0]["publisher"]["workflow"] = "other.yml"
json.dump(p, open(sys.argv[2], "w"))
PY
expect_err_contains "provenance publisher: workflow other.yml disagrees" \
	V --provenance "$TG_TMP/bad.provenance" "$D/$SDIST" "${GH[@]}"
# Policy from tollgate.toml [[trust]] when the command line has none.
cat >"$TG_TMP/tollgate.toml" <<'TOML'
[[trust]]
package = "Pypi.Attestations"
repository = "trailofbits/pypi-attestations"
workflow = "release.yml"
TOML
expect_exit 0 V --provenance "$D/$SDIST.provenance" "$D/$SDIST"
sed -i 's/release.yml/deploy.yml/' "$TG_TMP/tollgate.toml"
expect_exit 1 V --provenance "$D/$SDIST.provenance" "$D/$SDIST"
expect_exit 2 V --provenance "$D/$SDIST.provenance" "$D/$SDIST" --config /dev/null

# pypi-attestation-models: production, GitHub.
M=pypi_attestation_models-0.0.4a2.tar.gz
expect_exit 0 V --attestation "$D/$M.attestation" "$D/$M" --repository trailofbits/pypi-attestation-models --workflow release.yml
expect_exit 1 V --attestation "$D/$M.attestation" "$D/$M" --repository trailofbits/pypi-attestation-models --workflow wrong.yml
# ... and the same material as a plain Sigstore bundle.
expect_exit 0 V --bundle "$D/$M.sigstore" "$D/$M" --repository trailofbits/pypi-attestation-models --workflow release.yml

# GitLab Trusted Publisher (production).
G=gitlab_oidc_project-0.0.3.tar.gz
expect_exit 0 V --attestation "$D/$G.publish.attestation" "$D/$G" --repository facutuesca/gitlab-oidc-project --workflow .gitlab-ci.yml
expect_exit 1 V --attestation "$D/$G.publish.attestation" "$D/$G" --repository facutuesca/gitlab-oidc-project --workflow wrong.yml

# Staging-signed (email identity): needs the staging root.
W=rfc8785-0.1.2-py3-none-any.whl
EM=(--identity william@yossarian.net --issuer https://github.com/login/oauth)
for f in "$W.attestation" "$W.publish.attestation"; do
	expect_exit 0 V --attestation "$D/$f" "$D/$W" "${EM[@]}" --trusted-root "$STAGING"
	expect_exit 1 V --attestation "$D/$f" "$D/$W" "${EM[@]}" --trusted-root "$PROD"
	expect_err_contains "identity: SAN william@yossarian.net does not match fake@example.com" \
		V --attestation "$D/$f" "$D/$W" --identity fake@example.com --issuer https://github.com/login/oauth --trusted-root "$STAGING"
done
expect_exit 0 V --bundle "$D/$W.sigstore" "$D/$W" "${EM[@]}" --trusted-root "$STAGING"
cp "$D/$W" "$TG_TMP/wrong_name-0.1.2-py3-none-any.whl"
expect_exit 1 V --attestation "$D/$W.publish.attestation" "$TG_TMP/wrong_name-0.1.2-py3-none-any.whl" "${EM[@]}" --trusted-root "$STAGING"
/usr/bin/python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[-1]^=1; open(sys.argv[2],"wb").write(b)' "$D/$W" "$TG_TMP/$W"
expect_exit 1 V --attestation "$D/$W.publish.attestation" "$TG_TMP/$W" "${EM[@]}" --trusted-root "$STAGING"

# Wheel tag sets in another order compare equal (no dist file: name + digest).
S=spt3g-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
expect_exit 0 V --attestation "$D/$S.publish.attestation" spt3g-1.0-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.whl \
	--digest sha256:d2772f9a5199f05ed1be8d9aa78b879e51772e3ead9d73fe8057257b1aec7cf8 "${EM[@]}" --trusted-root "$STAGING"
expect_exit 1 V --attestation "$D/$S.publish.attestation" spt3g-1.0-cp311-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.whl \
	--digest sha256:d2772f9a5199f05ed1be8d9aa78b879e51772e3ead9d73fe8057257b1aec7cf8 "${EM[@]}" --trusted-root "$STAGING"

# Usage errors.
expect_exit 2 V --attestation "$D/$SDIST.publish.attestation"
expect_exit 2 V --attestation "$D/$SDIST.publish.attestation" "$D/$SDIST" --config /dev/null
finish
