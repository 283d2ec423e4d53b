"""The documentation generated from the schema is the committed one, and `nusim run --help`
lists every kind and key the schema declares."""

from nusim.schema import docs
from nusim.schema import study as schema


def test_committed_docs_equal_the_generated_text():
    """docs/study-files.md and the generated section of docs/apparatus-files.md; regenerate
    with `python -m nusim.schema.docs` after changing a model."""
    assert (docs.ROOT / docs.STUDY_PAGE).read_text() == docs.study_page()
    page = (docs.ROOT / docs.APPARATUS_PAGE).read_text()
    assert page == docs.apparatus_page(page)
    assert docs.main(["--check"]) == 0


def test_run_help_lists_every_kind_and_key():
    from nusim.cli import RUN_HELP

    assert docs.run_help() in RUN_HELP
    flat = " ".join(RUN_HELP.split())
    for kind, file_model in schema.KIND_MODELS.items():
        assert f"[{kind}]" in flat, kind
        for key in file_model.model_fields[kind].annotation.model_fields:
            assert key in flat, (kind, key)


def test_every_field_has_a_description():
    """Each key of every table carries its one-line meaning (with its unit where it has one)."""
    from nusim.schema import apparatus

    models = [schema.Study, *schema.BEAM_MODELS.values(), schema.Experiment,
              schema.SmearingScan, schema.DesignNoise, schema.DesignTolerances,
              schema.DesignPowerProfile, schema.DesignParameters, schema.DesignConstraints,
              apparatus.ApparatusHead, apparatus.Site, apparatus.Pendulum,
              apparatus.AttractorMotion, *apparatus.SHAPES.values()]
    models += [m.model_fields[k].annotation for k, m in schema.KIND_MODELS.items()]
    for model in models:
        for name, field in model.model_fields.items():
            assert field.description, (model.__name__, name)
