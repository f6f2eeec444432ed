"""Document kinds (công văn, quyết định, giấy mời…): one table per kind, per regime."""

from mtcl_docs.kinds.kind import Kind
from mtcl_docs.kinds.registry import KindError, find_kind, kind_ids, kinds_in

__all__ = ["Kind", "KindError", "find_kind", "kind_ids", "kinds_in"]
