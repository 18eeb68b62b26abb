"""Author by-lines to clean names: links, affiliations, lists, and roles after a comma."""

from __future__ import annotations

import pytest

from desktop_app.core.ingest.authors import parse_authors


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        # otel blog (Hugo): Markdown links with affiliations in parentheses
        ("[Pranay Prateek](https://github.com/pranay01) (SigNoz)", ["Pranay Prateek"]),
        ("[Severin Neumann](https://github.com/svrnm), Cisco", ["Severin Neumann"]),
        ("[Haochao Zhuang](https://github.com/dmsolr), Fei Han", ["Haochao Zhuang", "Fei Han"]),
        (
            "[Matthew Kocher](https://github.com/mkocher) (VMware) and [Carson\n"
            "Long](https://github.com/ctlong) (VMware)",
            ["Matthew Kocher", "Carson Long"],
        ),
        (
            "[Damien Mathieu](https://github.com/dmathieu) (Elastic) "
            "[Pablo Baeyens](https://github.com/mx-psi) (Datadog)",
            ["Damien Mathieu", "Pablo Baeyens"],
        ),
        (
            "[Juraci Paixão Kröhling](https://github.com/jpkrohling) (OpenTelemetry, Grafana "
            "Labs), [Pablo Baeyens](https://github.com/mx-psi) (OpenTelemetry, Datadog)",
            ["Juraci Paixão Kröhling", "Pablo Baeyens"],
        ),
        ("[Reese Lee, New Relic](https://github.com/reese-lee)", ["Reese Lee"]),
        (
            '[Mauricio "Salaboy" Salatino](https://github.com/salaboy) (Diagrid)',
            ["Mauricio Salatino"],
        ),
        ("OpenTelemetry Governance Committee", ["OpenTelemetry Governance Committee"]),
        # letsencrypt (Jekyll): a comma may introduce a role or a second author
        ("Josh Aas, ISRG Executive Director", ["Josh Aas"]),
        ("Jon Millican, Software Engineer, Facebook", ["Jon Millican"]),
        ("Jacob Hoffman-Andrews, Boulder developer", ["Jacob Hoffman-Andrews"]),
        ("Franklin Angulo, Squarespace", ["Franklin Angulo"]),
        ("Christine Runnegar, ISRG Board of Directors", ["Christine Runnegar"]),
        ("Josh Aas, Dan Fernelius", ["Josh Aas", "Dan Fernelius"]),
        (
            "Josh Aas, Daniel McCarney, and Roland Shoemaker",
            ["Josh Aas", "Daniel McCarney", "Roland Shoemaker"],
        ),
        (
            "Shannon Robinson, Sarah Gran and Jonathan Weber-Mendez",
            ["Shannon Robinson", "Sarah Gran", "Jonathan Weber-Mendez"],
        ),
        (
            "Sarah McClure (Let’s Encrypt) & Andrew Lytvynov (Tailscale)",
            ["Sarah McClure", "Andrew Lytvynov"],
        ),
        ("J.C. Jones", ["J.C. Jones"]),
        (["Ann Lee", "Ann Lee", "Bo Chan"], ["Ann Lee", "Bo Chan"]),
        (None, []),
        ("", []),
    ],
)
def test_parse_authors(byline: object, names: list[str]) -> None:
    assert parse_authors(byline) == names
