"""The exports these tests read back are parsed as uploads are: no DTD loaded, no entity
expanded, no network (lxml's default parser, hardened for the whole run)."""

from __future__ import annotations

import pytest
from lxml import etree

from secretariat.documents.office import hardened_parser


@pytest.fixture(autouse=True, scope="session")
def hardened_xml():
    default = etree.get_default_parser()
    etree.set_default_parser(hardened_parser(remove_comments=False, remove_pis=False))
    yield
    etree.set_default_parser(default)
