"""Ochag linkage engine: Russian name normalisation, blocking, Fellegi–Sunter scoring,
constrained clustering. Plain Python; no Django import anywhere in this package."""

from .batch import candidate_pairs, dedupe, find_duplicate_pairs, train, train_features
from .blocking import blocking_keys
from .fuzzy import NearIndex
from .matcher import Matcher, MatchResult
from .model import FIELDS, LEVELS, Params, em_train, estimate_u
from .names import (
    NormalisedName,
    first_name_sex,
    name_dictionary,
    normalise_name,
    patronymic_key,
    patronymic_sex,
    surname_family_key,
)
from .reach import birth_reach
from .records import Features, PersonRecord, features, parse_date
from .scoring import Candidate, FieldExplanation, hard_conflicts
from .search import NameToken, SearchQuery, parse_search_query, person_search_keys
from .snils import snils_control, snils_is_valid, snils_normalise
from .text import fold, skeleton
from .translit import latin_to_cyrillic

__all__ = [
    "FIELDS",
    "LEVELS",
    "Candidate",
    "Features",
    "FieldExplanation",
    "MatchResult",
    "Matcher",
    "NameToken",
    "NearIndex",
    "NormalisedName",
    "Params",
    "PersonRecord",
    "SearchQuery",
    "birth_reach",
    "blocking_keys",
    "candidate_pairs",
    "dedupe",
    "em_train",
    "estimate_u",
    "features",
    "find_duplicate_pairs",
    "first_name_sex",
    "fold",
    "hard_conflicts",
    "latin_to_cyrillic",
    "name_dictionary",
    "normalise_name",
    "parse_date",
    "parse_search_query",
    "patronymic_key",
    "patronymic_sex",
    "person_search_keys",
    "skeleton",
    "snils_control",
    "snils_is_valid",
    "snils_normalise",
    "surname_family_key",
    "train",
    "train_features",
]
