"""sitegen.model: the site's shapes."""

from __future__ import annotations

import pickle
from zoneinfo import ZoneInfo

from sitegen.model import Category, Config, Words

TIN = Category("tin-tuc", "Tin tức")


def config(base_url: str) -> Config:
    return Config(title="Cổng", base_url=base_url, categories=(TIN,), tz=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_base_path_is_the_path_of_the_base_url() -> None:
    assert config("https://mauson.example/").base_path == "/"
    assert config("https://langson.gov.vn/xa-mau-son/").base_path == "/xa-mau-son/"


def test_category_by_key() -> None:
    assert config("https://mauson.example/").category("tin-tuc") is TIN
    assert config("https://mauson.example/").category("khong-co") is None


def test_a_config_with_words_keys_a_cache_and_crosses_processes() -> None:
    cfg = config("https://mauson.example/")
    worded = Config(**{**{f: getattr(cfg, f) for f in cfg.__slots__}, "words": Words({"latest": "Tin mới nhất"})})
    assert len({cfg, worded, pickle.loads(pickle.dumps(worded))}) == 2
    assert pickle.loads(pickle.dumps(worded)).words["latest"] == "Tin mới nhất"
