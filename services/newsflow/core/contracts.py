"""The message contracts of `schemas/`, enforced at the serialization boundary.

Every stage decodes what it reads and encodes what it writes through this module, so a message
that breaks its contract is caught where it enters or leaves a stage, and always as a
`ContractError` that says what is wrong.
"""

from __future__ import annotations

import enum
import functools
from typing import Any

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

from newsflow.errors import ConfigError, ContractError
from newsflow.resources import read_bytes

SCHEMA_VERSION = 1


class Contract(enum.StrEnum):
    RAW = "raw"
    CLEAN = "clean"
    DEDUPED = "deduped"
    ENRICHED = "enriched"
    DEAD_LETTER = "dead-letter"


def schema_file(contract: Contract) -> str:
    return f"{contract.value}.schema.json"


def load_schema(contract: Contract) -> dict[str, Any]:
    try:
        schema: dict[str, Any] = orjson.loads(read_bytes("schemas", schema_file(contract)))
    except orjson.JSONDecodeError as exc:
        raise ConfigError(f"the {contract} schema is not valid JSON: {exc}") from exc
    return schema


@functools.cache
def validator(contract: Contract) -> Draft202012Validator:
    schema = load_schema(contract)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@functools.cache
def compiled_validator(contract: Contract) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(load_schema(contract), validate_formats=True)


def validate(contract: Contract, message: Any) -> None:
    # Every message is checked twice on its way (by the stage that writes it and the one that
    # reads it): the compiled validator says "valid" in microseconds, and the reference
    # implementation runs only to explain a rejection (best_match picks the telling error).
    try:
        if compiled_validator(contract).is_valid(message):
            return
    except (ValueError, TypeError):  # not JSON data (e.g. a Python object): the reference decides
        pass
    error = best_match(validator(contract).iter_errors(message))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise ContractError(f"{contract} schema violation at {where}: {error.message[:300]}")
    try:
        fast_errors = list(compiled_validator(contract).iter_errors(message))
    except (ValueError, TypeError):
        return
    if fast_errors:  # where the two disagree, the stricter verdict stands
        where = "/".join(str(p) for p in fast_errors[0].instance_path) or "(root)"
        raise ContractError(
            f"{contract} schema violation at {where}: {fast_errors[0].message[:300]}"
        )


def decode(contract: Contract, data: bytes | None) -> dict[str, Any]:
    """Bytes from Kafka to a validated dict, or a ContractError saying why not."""
    if data is None:
        raise ContractError("empty message (no value)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContractError(
            f"payload is not valid UTF-8 (byte 0x{data[exc.start]:02x} at position {exc.start})"
        ) from exc
    try:
        message = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ContractError(f"payload is not valid JSON: {exc}") from exc
    if not isinstance(message, dict):
        raise ContractError(f"payload is JSON {type(message).__name__}, expected an object")
    validate(contract, message)
    return message


def encode(contract: Contract, message: dict[str, Any]) -> bytes:
    """A dict to the bytes of a valid message; an invalid one is a bug upstream, not sent."""
    validate(contract, message)
    return orjson.dumps(message)
