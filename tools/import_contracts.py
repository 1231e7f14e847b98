"""An import-linter contract for InternHub's layering, by file-name convention.

import-linter's wildcards replace whole module names only, so "every `*_controller`"
cannot be written in its built-in contracts. This contract classifies every module
under the root package by its name (seed 000: `<prefix>_controller.py` or a
`controllers/` package, likewise services, repositories, models, schemas) and checks:

1. controllers never import repositories or models;
2. repositories never import services or controllers;
3. nothing but a route module imports a controller;
4. a context reaches another context only through its services, schemas,
   exceptions, constants or dependencies;
5. the shared packages (`lib`, `config`) import no context.
"""

from __future__ import annotations

from dataclasses import dataclass

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

KINDS = ("controller", "service", "repository", "model", "schema")
PACKAGE_KINDS = {
    "controllers": "controller",
    "services": "service",
    "repositories": "repository",
    "models": "model",
    "schemas": "schema",
}
PUBLIC_MODULES = {"exceptions", "constants", "dependencies", "events"}


@dataclass(frozen=True)
class Violation:
    importer: str
    imported: str
    line: int
    rule: str


class ArchitectureContract(Contract):
    """Options: `root` (the package), `shared` (packages every context may use),
    `composition` (modules that wire everything: main, routes, cli)."""

    root = fields.StringField()
    shared = fields.ListField(subfield=fields.StringField())
    composition = fields.ListField(subfield=fields.StringField())

    def kind(self, module: str) -> str | None:
        for part in reversed(module.split(".")[1:]):
            if part in PACKAGE_KINDS:
                return PACKAGE_KINDS[part]
            for kind in KINDS:
                if part.endswith(f"_{kind}"):
                    return kind
        return None

    def context(self, module: str) -> str | None:
        parts = module.split(".")
        if len(parts) < 2 or parts[0] != str(self.root):
            return None
        head = parts[1]
        if head in {str(s) for s in self.shared} or head in {str(c) for c in self.composition}:
            return None
        if len(parts) == 2 and not self._is_package(module):
            return None
        return head

    def _is_package(self, module: str) -> bool:
        return bool(self._graph.find_children(module))

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        self._graph = graph
        root = str(self.root)
        shared = {str(s) for s in self.shared}
        violations: list[Violation] = []
        for importer in sorted(graph.modules):
            if not importer.startswith(root + "."):
                continue
            for imported in graph.find_modules_directly_imported_by(importer):
                if not imported.startswith(root + "."):
                    continue
                rule = self._broken_rule(importer, imported, shared)
                if rule is None:
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                line = details[0]["line_number"] if details else 0
                violations.append(Violation(importer, imported, line, rule))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def _broken_rule(self, importer: str, imported: str, shared: set[str]) -> str | None:
        importer_kind, imported_kind = self.kind(importer), self.kind(imported)
        importer_ctx, imported_ctx = self.context(importer), self.context(imported)
        importer_head = importer.split(".")[1]
        if importer_kind == "controller" and imported_kind in {"repository", "model"}:
            return "controllers never import repositories or models"
        if importer_kind == "repository" and imported_kind in {"service", "controller"}:
            return "repositories never import services or controllers"
        if (
            imported_kind == "controller"
            and importer_kind != "controller"
            and importer.rsplit(".", 1)[-1] != "routes"
        ):
            return "only route modules import controllers"
        if importer_head in shared and imported_ctx is not None:
            return "shared packages (lib, config) never import a context"
        if importer_ctx and imported_ctx and importer_ctx != imported_ctx:
            last = imported.rsplit(".", 1)[-1]
            if imported_kind not in {"service", "schema"} and last not in PUBLIC_MODULES:
                return (
                    "a context uses another only through its services, schemas, "
                    "exceptions, constants or dependencies"
                )
        return None

    def render_broken_contract(self, check: ContractCheck) -> None:
        for v in check.metadata["violations"]:
            output.print_error(f"{v.importer} -> {v.imported} (l.{v.line}): {v.rule}")
            output.new_line()
