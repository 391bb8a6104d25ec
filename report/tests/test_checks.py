"""The system check refuses figure-checker rules that name statistics or parameters that do not exist."""

import pytest
from django.core.checks import run_checks

from report import checker
from report.checker import RULES, Rule
from report.checks import check_figure_rules


def error_ids(*rules: Rule, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(checker, "RULES", [*RULES, *rules])
    return [error.id for error in check_figure_rules()]


def test_the_rules_name_registered_statistics_with_parameters_they_take():
    assert check_figure_rules() == []


def test_a_rule_naming_an_unregistered_statistic_is_an_error(monkeypatch):
    assert error_ids(Rule("case studies", "publications.count_case_studies"), monkeypatch=monkeypatch) == [
        "report.E001"
    ]


def test_a_rule_passing_a_parameter_the_statistic_does_not_take_is_an_error(monkeypatch):
    fixed = Rule("case studies", "publications.total", {"type": "case_study"})
    by_scope = Rule("members", "network.members")  # members are counted on a day, not over a period
    assert error_ids(fixed, by_scope, monkeypatch=monkeypatch) == ["report.E002", "report.E002"]


def test_a_rule_leaving_out_a_parameter_the_statistic_needs_is_an_error(monkeypatch):
    rule = Rule("participants", "events.event_participants", scope="on")
    assert error_ids(rule, monkeypatch=monkeypatch) == ["report.E002", "report.E003"]


def test_the_check_runs_with_djangos_system_checks(monkeypatch):
    monkeypatch.setattr(checker, "RULES", [Rule("episodes", "comms.no_such_statistic")])
    [error] = [e for e in run_checks() if e.id.startswith("report.")]
    assert error.id == "report.E001"
    assert error.is_serious()
    assert "comms.no_such_statistic" in error.msg
