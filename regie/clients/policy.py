"""Which parts of a visible client file each role may read and do.

``querysets.py`` decides *which* clients a user sees; this module decides *what* of them. Pages,
the API and exports ask ``policy_for(user)`` instead of testing roles themselves.

| part of the file                          | counsellor | coordinator | partner         |
|-------------------------------------------|------------|-------------|-----------------|
| code, name, municipality, status          | yes        | yes         | yes             |
| address, phone, language                  | yes        | yes         | yes (home work) |
| birth date, e-mail, VDAB reference        | yes        | yes         | no              |
| national number, masked; reveal with why  | yes        | yes         | no              |
| support-need category                     | yes        | no          | no              |
| legal bases and consents                  | yes        | yes         | no              |
| contact notes                             | yes        | own only    | own only        |
| steps, referrals, contacts, loans         | all        | all         | own organisation|
| change the file                           | yes        | yes         | no              |
| access log, export, erasure               | no         | yes         | no              |
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from regie.core.permissions import Actor, Role, role_of

if TYPE_CHECKING:
    from regie.clients.models import Contact

FILE_EDITORS = frozenset({Role.COORDINATOR, Role.COUNSELLOR})
"""Who changes a client file (``querysets.ClientQuerySet.editable_by`` says which)."""
CONTROLLERS = frozenset({Role.COORDINATOR})
"""Who answers for the files: the access log, the export and the erasure."""
DEVICE_KEEPERS = frozenset({Role.COORDINATOR, Role.PARTNER})
"""Who keeps the organisation's loan devices."""


@dataclass(frozen=True)
class FilePolicy:
    role: Role | None
    contact_details: bool = False
    personal_details: bool = False
    national_number: bool = False
    support_needs: bool = False
    legal_bases: bool = False
    all_contact_notes: bool = False
    edit: bool = False
    access_log: bool = False
    export_and_erase: bool = False
    record_contacts: bool = False
    lend_devices: bool = False


POLICIES: dict[Role | None, FilePolicy] = {
    Role.COUNSELLOR: FilePolicy(
        role=Role.COUNSELLOR,
        contact_details=True,
        personal_details=True,
        national_number=True,
        support_needs=True,
        legal_bases=True,
        all_contact_notes=True,
        edit=True,
        record_contacts=True,
        lend_devices=True,
    ),
    Role.COORDINATOR: FilePolicy(
        role=Role.COORDINATOR,
        contact_details=True,
        personal_details=True,
        national_number=True,
        legal_bases=True,
        edit=True,
        access_log=True,
        export_and_erase=True,
        record_contacts=True,
        lend_devices=True,
    ),
    Role.PARTNER: FilePolicy(
        role=Role.PARTNER, contact_details=True, record_contacts=True, lend_devices=True
    ),
}


def policy_for(user: Actor) -> FilePolicy:
    role = role_of(user)
    return POLICIES.get(role, FilePolicy(role=role))


def may_read_note(user: Actor, contact: "Contact") -> bool:
    return policy_for(user).all_contact_notes or contact.by_id == user.pk
