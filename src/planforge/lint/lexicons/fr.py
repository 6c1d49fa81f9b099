"""French: section names that label a slide, and which words are verbs.

Action titles in French usually open with an infinitive ("Livrer deux gains rapides") or conjugate a verb ("Le
portail double les visites"). A word is a verb when it is a form of a verb in the lexicon (regular -er verbs
inflected, the common irregular ones listed), or an infinitive in -er/-ir/-re that is not one of the common nouns
and adjectives ending the same way.
"""

from __future__ import annotations

TOPICS = {
    "annexe", "annexes", "aperçu", "calendrier", "conclusion", "conclusions", "contexte", "discussion",
    "état de la situation", "feuille de route", "initiatives clés", "introduction", "mise à jour", "objectifs",
    "ordre du jour", "points clés", "prochaines étapes", "questions", "références", "résultats",
    "résultats attendus", "risques", "sommaire", "sommaire exécutif", "synthèse", "vision", "vue d’ensemble",
    "vue d'ensemble", "échéancier",
}

# Regular -er verbs common in action titles; every form (il double, ils doublent, doublé, doublera...) is derived.
ER_VERBS = set("""
accélérer accompagner adapter adopter aider ajouter aligner améliorer amener analyser animer appuyer apporter
arrêter assurer augmenter automatiser avancer baisser bâtir cataloguer centraliser changer clarifier collaborer
combler commencer communiquer compléter concentrer confier confirmer consolider continuer créer cumuler déployer
démarrer démontrer développer diminuer documenter donner doubler écouter éliminer encourager engager enrichir
entamer envisager éviter établir étendre évaluer exécuter expérimenter expliquer exploiter faciliter fermer
financer fixer former gagner générer gérer harmoniser identifier implanter impliquer informer innover intégrer
inviter jouer lancer libérer limiter livrer localiser maîtriser mesurer migrer mobiliser moderniser montrer
mutualiser négocier nommer numériser optimiser organiser outiller partager passer piloter placer planifier porter
positionner préparer présenter préserver prioriser privilégier proposer protéger prouver publier quadrupler
rapprocher rassembler réaliser recentrer recruter rédiger regrouper relancer remplacer renforcer repenser
répondre réviser rehausser réussir rationaliser sécuriser simplifier stabiliser standardiser structurer supprimer
tester tirer traiter transformer trouver tripler unifier utiliser valider valoriser viser
""".split())

# Common irregular verbs (and -ir/-re verbs) with the forms titles use.
IRREGULAR = set("""
est sont sera seront serait soit être a ont aura auront avoir fait font fera feront faire va vont ira iront aller
peut peuvent pourra pourront pouvoir doit doivent devra devront devoir permet permettent permettra permettront
permettre met mettent mettra mettre prend prennent prendra prendre atteint atteignent atteindra atteindre réduit
réduisent réduira réduire réduite réduits construit construisent construira construire produit produisent
produire conduit conduisent conduire offre offrent offrira offrir ouvre ouvrent ouvrira ouvrir sert servent
servira servir bâtit bâtissent choisit choisissent choisir définit définissent définir établit établissent
réussit réussissent fournit fournissent fournir garantit garantissent garantir agit agir réunit réunissent réunir
accroît accroissent accroître soutient soutiennent soutenir maintient maintiennent maintenir obtient obtiennent
obtenir devient deviennent deviendra devenir vient viennent venir tient tiennent tenir rend rendent rendre vend
vendent vendre répond répondent attend attendent attendre comprend comprennent comprendre apprend apprennent
apprendre voit voient voir sait savent savoir veut veulent vouloir faut falloir dit disent dire écrit écrivent
écrire suit suivent suivre vit vivent vivre croît croître franchit franchissent franchir investit investissent
investir remplit remplissent remplir grandit grandissent grandir ralentit ralentissent ralentir
""".split())

# Nouns, adjectives and adverbs that end like infinitives.
NOT_VERBS = set("""
premier dernier entier fier cher hier hiver mer fer ver enfer super cancer dossier métier quartier chantier
sentier atelier calendrier fichier papier plaisir avenir loisir désir soir noir miroir espoir devoir pouvoir savoir
avoir cuir tir élixir nadir saphir centre cadre titre nombre membre offre ordre entre notre votre autre contre
chiffre lettre livre libre propre pauvre mètre litre sobre sombre maître montre ministre registre semestre
trimestre filtre genre lustre monstre poivre cuivre fibre timbre vitre vivre sucre acre âcre cidre ombre octobre
novembre septembre décembre plusieurs leur leurs pour par sur sûr dur pur mur futur secteur acteur moteur
""".split())

_ER_ENDINGS = ("er", "e", "es", "ent", "ons", "ez", "é", "ée", "és", "ées", "era", "eront", "erait", "eraient",
               "ait", "aient", "ant")
FORMS = IRREGULAR | {verb[:-2] + ending for verb in ER_VERBS for ending in _ER_ENDINGS}


def is_verb(word: str) -> bool:
    """Tell whether a French word is a verb form (elision such as l’ or qu’ removed first)."""
    word = word.lower().strip("'’-")
    for prefix in ("qu’", "qu'", "l’", "l'", "d’", "d'", "n’", "n'", "s’", "s'", "j’", "j'", "m’", "m'", "c’", "c'"):
        if word.startswith(prefix):
            word = word[len(prefix):]
            break
    if word in FORMS:
        return True
    if word in NOT_VERBS or len(word) < 5:
        return False
    return word.endswith(("er", "ir", "re"))
