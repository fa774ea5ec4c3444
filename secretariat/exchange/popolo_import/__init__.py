"""Popolo JSON import: organizations, memberships, posts, persons and events into the
registry and the bodies, through their services, all or nothing.

- organizations: the organization itself (core.Organization), its bodies (an
  organization whose parent is the organization or one of its bodies) and actors
  (states, told by their ISO 3166 identifiers or classification, and international
  organizations). An actor is matched on its ISO codes, then its id, then its name.
- memberships of states and organizations in the organization become statuses (role
  member, observer, partner, applicant, dialogue partner) or chairmanships (role chair,
  or the chair post); a person's membership in the head-of-Secretariat post becomes a
  term of office, and that person a person of the registry.
- events become meetings of the body named by organization_id, with one schedule
  entry (held, planned or cancelled) for the dates and place given.

Ids and labels are read as popolo.py writes them ("actor/<slug>", "Chair (renewal)",
"Applicant for observer status (pending)"); others are made into slugs. A membership's
end_date is read as the record's end, as popolo.py writes it.

Everything else (other persons and posts, areas, motions, votes, speeches, counts) is
reported as skipped, never refused. The first real error (a wrong type, an unknown
reference, a duplicate id, a bad date, a record the rules refuse) refuses the whole
file with ImportRefused(JSON pointer, reason), and nothing of it is kept. Records are
matched by their ids and identifiers, so importing a file twice changes nothing the
second time; a record already held keeps what the file does not say (its end date, its
other sources and variants). Every record written cites the file's `sources` links, or
else the file itself.

A single entity (a file holding one organization, membership, event...) is a fragment of
a larger document: a reference from it to something neither in it nor on record is
reported, and the record that needs it skipped, rather than refused.

In three steps, so that the write lock is held for moments, not for the whole import,
each in its own module:
- read.py: the file is read as a stream (stream.py), each item taken apart and its shape
  checked as it comes (shapes.py: pydantic models of what we accept), so that a file is
  refused at its first bad item, having held no more than what was read before it;
  vocabulary.py holds the words of the format (collections, properties, roles, titles);
- plan.py: outside any transaction, everything is resolved and checked against the
  record (reads only), by kind in organizations.py, memberships.py and events.py: new
  records are made and validated in memory (records.bulk), changes to records held are
  prepared as calls of their services;
- apply.py: one short transaction writes it all. Should the record change between the
  two (another user's write: the audit trail moved), the plan is made again; the last
  attempt plans inside the transaction.
"""

from .apply import Importer, import_data
from .plan import Summary
from .read import Reading
from .vocabulary import COLLECTIONS, Item, entity_kind, sniff

__all__ = [
    "COLLECTIONS",
    "Importer",
    "Item",
    "Reading",
    "Summary",
    "entity_kind",
    "import_data",
    "sniff",
]
