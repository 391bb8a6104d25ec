import gc

import pytest

from report.pdf import cyclic_gc_paused


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_cycle_collector_is_paused_for_the_render_and_left_as_it_was(enabled_before):
    (gc.enable if enabled_before else gc.disable)()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()


def test_the_cycle_collector_resumes_when_the_render_fails():
    gc.enable()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError("WeasyPrint could not lay out the report")
    assert gc.isenabled()
