"""Import of organisations and people from the spreadsheets coordinators keep (CSV and XLSX).

``files.read_table`` turns the uploaded bytes into a header and numbered rows;
``engine.import_preview`` checks every row against the registry and the model rules and says
what would happen to it (``organisations`` and ``people`` hold each kind's row plan);
``engine.registry_import_commit`` plans again inside one transaction and writes through the
registry services only when no row has an error. Between preview and commit the file waits in
a private folder under ``MEDIA_ROOT/imports`` (``staging``), bound to the user who uploaded it.
"""

from regie.registry.imports.base import (
    OLE_MAGIC,
    ImportFileError,
    ImportKind,
    RowAction,
)
from regie.registry.imports.columns import column_guide
from regie.registry.imports.engine import (
    ImportRejected,
    ImportResult,
    import_check,
    import_preview,
    registry_import_commit,
)
from regie.registry.imports.files import MAX_ROWS, read_table
from regie.registry.imports.staging import (
    StagedImport,
    import_discard,
    import_purge_stale,
    import_stage,
    staged_import,
)

__all__ = [
    "MAX_ROWS",
    "OLE_MAGIC",
    "ImportFileError",
    "ImportKind",
    "ImportRejected",
    "ImportResult",
    "RowAction",
    "StagedImport",
    "column_guide",
    "import_check",
    "import_discard",
    "import_preview",
    "import_purge_stale",
    "import_stage",
    "read_table",
    "registry_import_commit",
    "staged_import",
]
