"""Text for comparison (`toolkit.sources.text`): the script-aware normalizer and tokenizer on
real-world strings, properties with hypothesis, and the loader storing text as posted while
its `text_hash` follows the normalizer."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.db.connect import Graph
from toolkit.load.batches import Batch, text_hash
from toolkit.load.loader import load_files
from toolkit.sources.records import Tweet
from toolkit.sources.text import normalize_text, to_simplified, tokens

# Copies of one message that a reader takes for the same text.
SAME = [
    ("simplified and traditional", "维护香港繁荣稳定，支持警方严正执法！",
     "維護香港繁榮穩定，支持警方嚴正執法！"),
    ("traditional phrase", "发展经济，改善民生", "發展經濟，改善民生"),
    ("full-width digits and letters", "２０１９年６月１２日 ＨＯＮＧ　ＫＯＮＧ",
     "2019年6月12日 Hong Kong"),
    ("punctuation swapped", "香港加油，一起守护家园。", "香港加油!一起守护家园…"),
    ("emoji ZWJ family added", "大家一起守护家园", "大家一起守护家园 👨‍👩‍👧‍👦"),
    ("flag, skin tone, selector", "we stand together", "we stand together 🇭🇰👍🏽❤️"),
    ("emoji inside a Chinese sentence", "香港加油", "香港🙏加油"),
    ("half-width katakana", "オリンピックを見た", "ｵﾘﾝﾋﾟｯｸを見た"),
    ("Thai with and without spaces", "สวัสดีครับ ยินดีต้อนรับ", "สวัสดีครับยินดีต้อนรับ"),
    ("Arabic tatweel", "مرحبا بكم", "مـــرحبا بـكم"),
    ("Arabic presentation forms", "مرحبا", "ﻣﺮﺣﺒﺎ"),
    ("mention, link and manual retweet", "香港加油", "RT @user_1: 香港加油 https://t.co/AbC12"),
    ("full-width mention", "你好", "＠ｕｓｅｒ 你好"),
    ("link glued to Chinese", "看这个后面", "看这个https://t.co/abc，后面"),
    ("case", "Stand With Hong Kong", "stand with HONG KONG"),
]


@pytest.mark.parametrize(("case", "a", "b"), SAME, ids=[c[0] for c in SAME])
def test_copies_normalize_alike(case: str, a: str, b: str) -> None:
    assert normalize_text(a) == normalize_text(b)
    assert text_hash(a) == text_hash(b)


DIFFERENT = [
    ("another word", "stand with hong kong", "stand with macau"),
    ("another character", "香港加油", "香港加班"),
    ("Japanese and Chinese sentences", "今日は晴れ", "今天是晴天"),
]


@pytest.mark.parametrize(("case", "a", "b"), DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_different_texts_stay_different(case: str, a: str, b: str) -> None:
    assert normalize_text(a) != normalize_text(b)


def test_normalized_forms() -> None:
    assert normalize_text("RT @Some_One: Hello   WORLD\nhttps://t.co/AbC and "
                          "www.example.com/x @x") == "hello world and"
    assert normalize_text("維護穩定") == "维护稳定"
    assert normalize_text("ＨＥＬＬＯ　２０１９！") == "hello 2019"
    assert normalize_text("今日はｱｲﾌｫﾝを買った") == "今日はアイフォンを买った"
    assert normalize_text("مـــرحبا") == "مرحبا"
    assert normalize_text("香港 Hong Kong 加油！") == "香港 hong kong 加油"
    assert normalize_text("e\u200d\u0301") == "é"  # a dropped joiner re-composes
    assert normalize_text("https://medium.com/@user/post") == ""  # the '@' is the link's
    assert normalize_text("sport @x") == "sport"  # 'rt' only counts before a mention
    assert normalize_text("🙏🔥✨") == "" and text_hash("🙏🔥✨") is None
    assert normalize_text("1️⃣ ２") == "1 2"  # a keycap keeps its digit
    assert normalize_text("lone \ud83d surrogate") == "lone surrogate"
    assert to_simplified("薴") == "苎"  # OpenCC maps this in two steps: stable after both


def test_tokens_by_script() -> None:
    assert tokens("hello world again") == ["hello", "world", "again"]
    assert tokens(normalize_text("維護香港穩定")) == ["维护", "护香", "香港", "港稳", "稳定"]
    assert tokens("香港 hong kong 加油") == ["香港", "hong", "kong", "加油"]
    assert tokens(normalize_text("東京オリンピック2020を見た")) == [
        "东京", "京オ", "オリ", "リン", "ンピ", "ピッ", "ック", "2020", "を见", "见た"]
    assert tokens("한국어 문장") == ["한국", "국어", "문장"]  # Hangul keeps its spaces
    assert tokens(normalize_text("สวัสดี ครับ")) == ["สว", "วั", "ัส", "สด", "ดี", "ีค",
                                                    "คร", "รั", "ับ"]
    assert tokens("香港加油", n=3) == ["香港加", "港加油"]
    assert tokens("港", n=2) == ["港"] and tokens("") == []


# -- properties ---------------------------------------------------------------------------

# Characters where normalization has work to do: CJK in both scripts, kana (full and half
# width), Hangul, Thai, Arabic with tatweel, combining marks, emoji with joiners and
# selectors, full-width forms, punctuation and spaces.
PIECES = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xAC40),
    st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),
    st.characters(min_codepoint=0x0620, max_codepoint=0x0660),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F9FF),
    st.sampled_from(["\u200d", "\ufe0f", "\u200b", "\u0640", " ", "\u3000", "@", "#", "/",
                     ":", "http://", "rt @x", "，", "。", "!", "A", "é", "İ", "ǰ", "ß"]),
)
TRICKY = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.text() | TRICKY)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "@" not in once and once == once.strip() and "  " not in once


@settings(max_examples=500, deadline=None)
@given(TRICKY)
def test_display_text_is_never_altered(text: str) -> None:
    """The loader's batch keeps the text byte for byte; only the hash is normalized."""
    batch = Batch()
    batch.add_tweet(Tweet(tweetid="1134828248637558455", userid="1", created_at=None,
                          time_source="archive", text=text))
    row = batch.tweets["1134828248637558455"]
    assert row["text"] == text
    normalized = normalize_text(text)
    expected = hashlib.sha1(normalized.encode()).hexdigest()[:16] if normalized else None
    assert row.get("text_hash") == expected


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_tokens_cover_the_normalized_text(text: str) -> None:
    normalized = normalize_text(text)
    toks = tokens(normalized)
    assert all(t and " " not in t for t in toks)
    assert bool(toks) == bool(normalized)
    assert set("".join(toks)) == set(normalized.replace(" ", ""))


# -- through the loader, against Neo4j --------------------------------------------------------

def test_loader_stores_text_as_posted_and_hashes_the_normalized_form(
        graph: Graph, tmp_path: Path) -> None:
    texts = [a for _, a, _ in SAME] + [b for _, _, b in SAME]
    path = tmp_path / "texts_tweets_csv_hashed.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["tweetid", "userid", "tweet_time", "tweet_text"])
        for k, text in enumerate(texts):
            tweetid = str((1134828248637558455 >> 22 << 22) + k)
            writer.writerow([tweetid, str(1000 + k), "2019-06-12 04:33", text])
    load_files(graph, [path], dataset="texts")
    stored = {r["userid"]: (r["text"], r["hash"]) for r in graph.read(
        "MATCH (a:Account)-[:POSTED]->(t:Tweet) RETURN a.userid AS userid, t.text AS text, "
        "t.text_hash AS hash")}
    for k, text in enumerate(texts):
        assert stored[str(1000 + k)] == (text, text_hash(text))
    half = len(SAME)
    for k in range(half):
        assert stored[str(1000 + k)][1] == stored[str(1000 + half + k)][1], SAME[k][0]
