"""`lab apk build | keygen | inspect`: real signed APKs for the store and the devices."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from lab.cli.output import stdout


@click.group()
def apk() -> None:
    """Make signed APKs (binary manifest, APK Signature Scheme v2 and v1) and keys."""


@apk.command()
@click.option("--package", required=True, help="The package name, e.g. com.example.app.")
@click.option("--version-code", required=True, type=click.IntRange(1, 2_100_000_000))
@click.option("--version-name", default="", help="Default: the version code.")
@click.option("--label", default="", help="The app's name on the launcher.")
@click.option("--feature", "features", multiple=True, help="A required uses-feature (repeat).")
@click.option("--permission", "permissions", multiple=True, help="A uses-permission (repeat).")
@click.option("--min-sdk", default=24, show_default=True, type=click.IntRange(1, 99))
@click.option("--target-sdk", default=33, show_default=True, type=click.IntRange(1, 99))
@click.option("--payload-bytes", default=0, type=click.IntRange(0), help="Incompressible bulk.")
@click.option("--key", default=None, help="Key pair NAME (NAME.pk8 + NAME.x509.pem); default: "
              "the lab's test key.")  # fmt: skip
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def build(output: Path, key: str | None, **fields) -> None:
    """Build a signed APK."""
    from lab.apk.build import ApkSpec
    from lab.apk.build import build as build_apk
    from lab.apk.keys import SigningKey
    from lab.apk.signature import verify

    fields["features"] = tuple(fields["features"])
    fields["permissions"] = tuple(fields["permissions"])
    spec = ApkSpec(**fields)
    signing = SigningKey.at(key) if key else None
    with stdout.status(f"building {output}..."):
        build_apk(spec, output, signing)
        signers = verify(output, min_sdk=23)  # as a device before v2 (API 24) would: v1 too
    stdout.print(
        f"{output}: {spec.package} {spec.version_code}, {output.stat().st_size} bytes, "
        f"signed ({', '.join(signers.schemes)}) by {signers.digests[0][:16]}..."
    )


@apk.command()
@click.argument("name", type=click.Path(dir_okay=False))
@click.option("--subject", default="TOS+ Lab developer", help="The certificate's common name.")
def keygen(name: str, subject: str) -> None:
    """Make a signing key pair: NAME.pk8 (private, 0600) and NAME.x509.pem."""
    from lab.apk.keys import make_key

    pair = make_key(name, subject)
    stdout.print(f"{pair.key} and {pair.cert}: certificate SHA-256 {pair.digest()}")


@apk.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def inspect(path: str) -> None:
    """What an APK says (package, version, features, ...) and who signed it, as JSON."""
    from lab.apk.facts import read_facts
    from lab.apk.signature import verify

    facts = asdict(read_facts(path))
    facts["signers"] = list(verify(path).digests)
    click.echo(json.dumps(facts, indent=2, ensure_ascii=False))
