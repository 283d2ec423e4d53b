"""Studies: TOML files under runs/ turned into results (JSON/CSV + figures)."""
