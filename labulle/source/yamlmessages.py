"""The YAML parser's messages (libyaml's, in English, over several lines) as one French reason.

The parser says what it found (`problem`) and sometimes what it was doing (`context`); the
first entry of the table whose words appear in either gives the reason. Anything unforeseen gets
a French sentence too, never the English text.
"""

from __future__ import annotations

_QUOTE = "guillemet non refermé"

_PROBLEMS_FR = (
    ("found a tab character", "tabulation dans l'indentation : indentez avec des espaces"),
    ("cannot start any token",
     "caractère interdit ici (une tabulation, un « @ » ou un « ` » en début de valeur ? "
     "mettez la valeur entre guillemets)"),
    ("mapping values are not allowed",
     "« : » inattendu (valeur à mettre entre guillemets, ou indentation décalée)"),
    ("mapping keys are not allowed", "« ? » inattendu : mettez la valeur entre guillemets"),
    ("block sequence entries are not allowed",
     "« - » inattendu : une liste commence sur sa propre ligne, sous sa clé"),
    ("could not find expected ':'", "il manque « : » après une clé, ou l'indentation est décalée"),
    ("did not find expected key", "indentation incohérente (alignez les clés du même bloc)"),
    ("did not find expected '-' indicator", "indentation incohérente dans une liste"),
    ("found unknown escape character",
     "« \\ » suivi d'une lettre inconnue entre guillemets doubles : doublez-le (\\\\) ou "
     "utilisez des guillemets simples"),
    ("did not find expected hexdecimal number", "code \\x, \\u ou \\U incomplet entre guillemets"),
    ("found invalid Unicode character escape code", "code \\u ou \\U invalide entre guillemets"),
    ("while scanning a quoted scalar", _QUOTE),
    ("while parsing a quoted scalar", _QUOTE),
    ("did not find expected ',' or ']'", "liste entre crochets mal fermée"),
    ("did not find expected ',' or '}'", "bloc entre accolades mal fermé"),
    ("while parsing a flow", "crochets ou accolades mal fermés"),
    ("found unexpected document indicator",
     "« --- » ou « ... » en début de ligne au milieu d'une valeur : mettez-la entre guillemets"),
    ("did not find expected <document start>",
     "contenu inattendu après la fin du document : retirez « ... » ou ce qui suit"),
    ("found unexpected end of stream", "fin du fichier inattendue (guillemet ou bloc non fermé)"),
    ("did not find expected node content", "valeur attendue ici"),
    ("did not find expected alphabetic or numeric character",
     "« & » ou « * » doit être suivi d'un nom : mettez la valeur entre guillemets"),
    ("found undefined tag handle", "étiquette « ! » inconnue : mettez la valeur entre guillemets"),
    ("tag", "étiquette « ! » mal écrite : mettez la valeur entre guillemets"),
    ("incompatible YAML document",
     "version YAML non prise en charge : retirez la ligne qui commence par « %YAML »"),
    ("directive", "directive « % » invalide : retirez la ligne qui commence par « % »"),
    ("indentation indicator",
     "indicateur de bloc « | » ou « > » invalide : écrivez « | » ou « > » seul"),
    ("found unexpected ':'", "« : » inattendu : mettez la valeur entre guillemets"),
    ("comment or line break",
     "texte inattendu en fin de ligne (un « # » sans espace avant, ou une valeur après "
     "des guillemets ?)"),
    ("whitespace", "espace attendue ici (après « - », « : » ou « # »)"),
    ("UTF-8", "caractère mal encodé : réenregistrez le fichier en UTF-8"),
    ("control characters", "caractère de contrôle interdit : retirez-le"),
)

_FALLBACK = "syntaxe YAML invalide (vérifiez guillemets, « : » et indentation)"


def french_problem(problem: str | None, context: str | None) -> str:
    """One French line for the parser's problem (what it found) and context (what it did)."""
    said = f"{problem or ''}\n{context or ''}"
    return next((french for needle, french in _PROBLEMS_FR if needle in said), _FALLBACK)
