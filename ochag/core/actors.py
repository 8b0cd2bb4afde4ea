"""The signed-in account as core sees it.

The account model is the access app's (``settings.AUTH_USER_MODEL``), which stands above
core: core may not import it, not even for type hints. What core reads of an account is
this protocol, which the access app's ``User`` satisfies; mypy checks that at every call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ochag.core.models import Territory


class Actor(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def username(self) -> str: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def agency(self) -> Any: ...

    @property
    def scope_territory(self) -> Territory | None: ...

    def get_full_name(self) -> str: ...
