"""System check: every figure-checker rule names a registered figure and only parameters it takes, so a
renamed statistic fails `manage.py check` instead of silently switching a rule off."""

import inspect

from django.core.checks import Error, register

from core.statistics import StatisticError, registry


@register()
def check_figure_rules(app_configs=None, **kwargs) -> list[Error]:
    from report.checker import RULES

    return [error for i, rule in enumerate(RULES) for error in _rule_errors(f"RULES[{i}]", rule)]


def _rule_errors(where: str, rule) -> list[Error]:
    from report.checker import SCOPES

    where = f"Figure-checker rule report.checker.{where} ({rule.statistic})"
    try:
        statistic = registry.get(rule.statistic)
    except StatisticError as error:
        return [Error(f"{where}: {error}", hint="Name a registered statistic.", id="report.E001")]
    if getattr(statistic, "kind", "figure") != "figure":
        return [Error(f"{where}: it gives a {statistic.kind}, not a figure.", id="report.E001")]
    if rule.scope not in SCOPES:
        return [
            Error(
                f"{where}: unknown scope {rule.scope!r}.",
                hint=f"Use one of {', '.join(SCOPES)}.",
                id="report.E002",
            )
        ]
    given = set(rule.params) | set(SCOPES[rule.scope])
    errors = []
    unknown = sorted(given - set(statistic.params))
    if unknown:
        errors.append(
            Error(
                f"{where}: {rule.statistic} does not take {', '.join(unknown)}.",
                hint=f"It takes {', '.join(statistic.params) or 'no parameters'}.",
                id="report.E002",
            )
        )
    parameters = inspect.signature(statistic.function).parameters.items()
    missing = [n for n, p in parameters if p.default is p.empty and n not in given and n != "request"]
    if missing:
        errors.append(Error(f"{where}: {rule.statistic} needs {', '.join(missing)}.", id="report.E003"))
    return errors
