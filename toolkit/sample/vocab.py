"""Word lists and categorical distributions the generator draws from.

Everything here is invented, neutral vocabulary (no real tweet text is copied). Shares of
clients, languages and time zones follow the real samples in `shared/data/real`: the
Russia IO tweets sample (Web Client 33 %, Android 30 %, iPhone 22 %) and the twarc2
search pages (Web App 37 %, Android 29 %, iPhone 25 %, iPad 7 %).
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "the", "a", "this", "that", "today", "morning", "evening", "weekend", "really", "so",
        "good", "great", "new", "old", "little", "big", "best", "just", "still", "again",
        "coffee", "garden", "rain", "sunshine", "game", "match", "team", "music", "song",
        "album", "movie", "book", "recipe", "dinner", "lunch", "train", "bus", "city", "park",
        "friends", "family", "dog", "cat", "photo", "walk", "run", "work", "office", "school",
        "class", "project", "idea", "plan", "trip", "beach", "mountain", "river", "street",
        "love", "like", "enjoy", "watch", "read", "cook", "try", "think", "need", "want",
        "feel", "know", "see", "finally", "almost", "always", "never", "maybe", "tonight",
        "tomorrow", "yesterday", "happy", "tired", "busy", "ready", "fun", "nice", "cool",
        "and", "with", "for", "about", "after", "before", "at", "in", "on", "my", "our",
    ),
    "es": (
        "hoy", "mañana", "noche", "semana", "buen", "día", "gracias", "amigos", "familia",
        "café", "música", "partido", "equipo", "ciudad", "calle", "playa", "libro", "película",
        "comida", "trabajo", "clase", "viaje", "fotos", "perro", "gato", "lluvia", "sol",
        "muy", "más", "todo", "siempre", "nunca", "ahora", "otra", "vez", "que", "con", "para",
        "en", "el", "la", "los", "mi", "nuestro", "feliz", "cansado", "listo", "bonito",
    ),
    "fr": (
        "aujourd'hui", "demain", "soir", "matin", "semaine", "bonne", "journée", "merci",
        "amis", "famille", "café", "musique", "match", "équipe", "ville", "rue", "plage",
        "livre", "film", "repas", "travail", "cours", "voyage", "photo", "chien", "chat",
        "pluie", "soleil", "très", "plus", "tout", "toujours", "jamais", "maintenant", "encore",
        "et", "avec", "pour", "dans", "le", "la", "les", "mon", "notre", "content", "prêt",
    ),
    "pt": (
        "hoje", "amanhã", "noite", "semana", "bom", "dia", "obrigado", "amigos", "família",
        "café", "música", "jogo", "time", "cidade", "rua", "praia", "livro", "filme",
        "comida", "trabalho", "aula", "viagem", "foto", "cachorro", "gato", "chuva", "sol",
        "muito", "mais", "tudo", "sempre", "nunca", "agora", "de", "novo", "com", "para",
        "em", "o", "a", "os", "meu", "nosso", "feliz", "cansado", "pronto", "lindo",
    ),
    "ja": (
        "今日", "明日", "朝", "夜", "週末", "天気", "晴れ", "雨", "コーヒー", "ランチ",
        "ごはん", "音楽", "映画", "本", "写真", "散歩", "電車", "仕事", "学校", "友達",
        "家族", "猫", "犬", "旅行", "試合", "楽しい", "嬉しい", "眠い", "忙しい", "最高",
        "です", "ました", "ね", "よ", "の", "と", "に", "を", "は", "が",
    ),
    "ar": (
        "اليوم", "غدا", "صباح", "مساء", "الأسبوع", "جميل", "شكرا", "أصدقاء", "عائلة", "قهوة",
        "موسيقى", "مباراة", "فريق", "مدينة", "شارع", "بحر", "كتاب", "فيلم", "طعام", "عمل",
        "مدرسة", "سفر", "صورة", "قطة", "مطر", "شمس", "جدا", "دائما", "الآن", "مع", "في",
        "من", "على", "سعيد", "جاهز",
    ),
    "zh": (
        "今天", "明天", "早上", "晚上", "周末", "天气", "下雨", "阳光", "咖啡", "午饭",
        "音乐", "电影", "书", "照片", "散步", "地铁", "工作", "学校", "朋友", "家人",
        "猫", "狗", "旅行", "比赛", "开心", "很", "真的", "一起", "我们", "的", "了", "在",
    ),
}
"""Everyday words per tweet language; CJK lists are joined without spaces."""

NO_SPACE_LANGS: Final = frozenset({"ja", "zh"})

POLITICAL_ZH: Final[tuple[str, ...]] = (
    "社会", "稳定", "秩序", "发展", "法治", "和平", "市民", "城市", "经济", "安全", "未来",
    "理性", "团结", "繁荣", "交通", "恢复", "正常", "生活", "支持", "警方", "维护", "呼吁",
    "大家", "共同", "家园", "我们", "的", "要", "请", "让",
)
"""Neutral civic vocabulary for the repurposed accounts' new topic (op 7)."""

ZH_PHRASES: Final[tuple[str, ...]] = (
    "恢复秩序", "维护法治", "和平理性", "守护家园", "社会稳定", "经济发展", "市民生活", "回归正常",
    "反对暴力", "支持警方", "团结一致", "共同努力", "美好未来", "城市安全", "交通畅通", "理性表达",
    "珍惜和平", "繁荣发展", "安居乐业", "齐心协力",
)
"""Neutral four-character civic phrases for the Chinese copy-paste operation's messages."""

ZH_TAILS: Final[tuple[str, ...]] = ("转发支持", "大家转起来", "说得好", "顶一下", "同意",
                                    "请大家转发", "加油")
"""Tails a poster adds to a copied message."""

ZH_HEADLINE: Final[tuple[str, ...]] = (
    "本港", "今日", "天气", "晴朗", "气温", "回升", "地铁", "新线", "开通", "市民", "出行",
    "便利", "股市", "收市", "上涨", "展览", "开幕", "旅客", "增加", "机场", "航班", "恢复",
)
"""Words of the news accounts' headlines (a headline decoy)."""

EMOJI_SEQUENCES: Final[tuple[str, ...]] = (
    "🙏", "👍🏻", "💪🏽", "❤️", "🇨🇳", "🇭🇰", "👨‍👩‍👧", "🙋‍♀️", "✊🏼", "🔥🔥",
)
"""Emoji a poster adds: skin tones, flags, zero-width-joiner sequences, variation selectors."""

POLITICAL_EN: Final[tuple[str, ...]] = (
    "stability", "order", "future", "citizens", "peace", "economy", "progress", "unity",
    "safety", "community", "support", "calm", "dialogue", "restore", "normal", "life",
    "together", "everyone", "truth", "facts", "please", "share", "our", "city", "the",
    "for", "and", "is", "we", "must", "now", "stand", "with",
)
"""Neutral civic vocabulary for the operations' slogans and link comments."""

EMOJI: Final[tuple[str, ...]] = ("😊", "😂", "❤️", "👍", "🙏", "🔥", "✨", "😍", "🎉", "☕")

FIRST_NAMES: Final[tuple[str, ...]] = (
    "Anna", "Ben", "Carla", "David", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonas",
    "Kate", "Leo", "Maria", "Nina", "Oscar", "Paula", "Quinn", "Rosa", "Sam", "Tara",
    "Umar", "Vera", "Will", "Yuki", "Zoe", "Amir", "Bea", "Chen", "Dara", "Emil", "Lucia",
    "Mateo", "Noor", "Omar", "Priya", "Ravi", "Sofia", "Tomas", "Wen", "Hana",
)
LAST_NAMES: Final[tuple[str, ...]] = (
    "Smith", "Garcia", "Martin", "Silva", "Kim", "Tanaka", "Haddad", "Novak", "Rossi",
    "Dubois", "Costa", "Lopez", "Brown", "Wang", "Sato", "Khan", "Meyer", "Jensen", "Oliveira",
    "Moreau", "Ali", "Lee", "Nguyen", "Park", "Santos", "Walker", "Young", "Hill", "Reyes",
)
HANDLE_WORDS: Final[tuple[str, ...]] = (
    "sunny", "blue", "happy", "lucky", "coffee", "pixel", "river", "maple", "ocean", "moon",
    "star", "cloud", "forest", "tiger", "panda", "lemon", "mango", "cookie", "jazz", "retro",
    "urban", "nomad", "wander", "daily", "simple", "quiet", "wild", "golden", "silver", "ruby",
)
"""Handle parts for organic accounts (never word + 8 digits: that is op 5's signature)."""

LOCATIONS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("London", "New York, NY", "California, USA", "Toronto", "Manchester", "Texas",
           "Sydney", "Dublin", "Chicago, IL", "UK"),
    "es": ("Madrid", "Buenos Aires", "México", "Bogotá", "Barcelona"),
    "fr": ("Paris", "Lyon", "Montréal", "Bruxelles"),
    "pt": ("São Paulo", "Rio de Janeiro", "Lisboa", "Brasil"),
    "ja": ("東京", "大阪", "Japan"),
    "ar": ("Cairo", "Dubai", "Riyadh"),
    "zh": ("Hong Kong", "Taipei", "Singapore"),
}

TIMEZONES: Final[tuple[tuple[float, float, tuple[tuple[str, float], ...]], ...]] = (
    # (UTC offset in hours, share of accounts, tweet languages there with shares)
    (-5.0, 0.26, (("en", 0.9), ("es", 0.1))),
    (-8.0, 0.10, (("en", 0.85), ("es", 0.15))),
    (-3.0, 0.10, (("pt", 0.75), ("es", 0.25))),
    (0.0, 0.16, (("en", 0.95), ("fr", 0.05))),
    (1.0, 0.14, (("fr", 0.45), ("es", 0.35), ("en", 0.2))),
    (3.0, 0.07, (("ar", 0.8), ("en", 0.2))),
    (8.0, 0.07, (("zh", 0.6), ("en", 0.4))),
    (9.0, 0.10, (("ja", 0.9), ("en", 0.1))),
)

ACCOUNT_LANGUAGE: Final[dict[str, tuple[str, ...]]] = {
    "en": ("en", "en", "en", "en-gb"), "es": ("es",), "fr": ("fr",), "pt": ("pt",),
    "ja": ("ja",), "ar": ("ar",), "zh": ("zh-cn", "zh-cn", "zh-tw", "zh-CN"),
}
"""Interface language per tweet language; the mixed case `zh-CN` is a quirk of the release."""

HOUR_WEIGHTS: Final[tuple[float, ...]] = (
    3.0, 2.0, 1.2, 0.7, 0.5, 0.5, 0.9, 2.0, 3.5, 4.2, 4.5, 4.6,
    5.0, 5.0, 4.8, 4.7, 4.8, 5.2, 5.8, 6.2, 6.4, 6.0, 5.0, 4.0,
)
"""Relative tweeting activity per local hour: quiet 2-6 am, evening peak."""

CLIENTS: Final[tuple[tuple[str, float], ...]] = (
    ("Twitter for Android", 0.33), ("Twitter for iPhone", 0.29), ("Twitter Web App", 0.20),
    ("Twitter Web Client", 0.08), ("Twitter for iPad", 0.04), ("TweetDeck", 0.02),
    ("Hootsuite Inc.", 0.01), ("Buffer", 0.01), ("Instagram", 0.01), ("IFTTT", 0.005),
    ("Tweetbot for iΟS", 0.005),
)

NEWS_CLIENTS: Final[tuple[str, ...]] = ("dlvr.it", "IFTTT", "Buffer", "WordPress.com")

DOMAINS: Final[tuple[tuple[str, float], ...]] = (
    ("www.youtube.com", 0.22), ("youtu.be", 0.08), ("www.instagram.com", 0.12),
    ("www.facebook.com", 0.06), ("www.nytimes.com", 0.05), ("www.bbc.co.uk", 0.05),
    ("www.theguardian.com", 0.04), ("www.reuters.com", 0.03), ("edition.cnn.com", 0.03),
    ("medium.com", 0.04), ("open.spotify.com", 0.05), ("www.twitch.tv", 0.02),
    ("bit.ly", 0.08), ("ow.ly", 0.03), ("buff.ly", 0.03), ("tinyurl.com", 0.02),
    ("www.lemonde.fr", 0.02), ("www.elpais.com", 0.02), ("www3.nhk.or.jp", 0.01),
)
"""Domains of organic links, shorteners included (their links stay as written)."""

SHORTENERS: Final = ("bit.ly", "ow.ly", "tinyurl.com", "buff.ly")

POPULAR_HASHTAGS: Final[tuple[str, ...]] = (
    "MondayMotivation", "ThrowbackThursday", "NowPlaying", "photography", "travel", "food",
    "football", "music", "art", "love", "WorldCup", "nature", "fitness", "coffee", "books",
    "gaming", "weekend", "FridayFeeling", "sunset", "tbt", "news", "tech", "AI", "summer",
    "dogsoftwitter", "catsoftwitter", "recipe", "movies", "NBA", "F1",
)
FAN_HASHTAGS: Final[tuple[str, ...]] = (
    "StarlightTour", "StarlightComeback", "StreamStarlight", "StarlightAnniversary",
    "StarlightLive", "StarlightFamily",
)
"""Hashtags of the fan-community decoy (an invented band)."""
