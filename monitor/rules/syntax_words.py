"""The words the grammar walks look for: which verbs aim at their object, which prepositions introduce a
target, a participant or an agent, which nouns stand for their owners, what a person's name looks like.
Kept apart from the walks (``syntax_roles``) so the vocabulary can grow without touching how a parse is
read."""

from __future__ import annotations

import re
from itertools import pairwise

UNDERGO_VERBS = ("face", "incur", "suffer", "receive", "come", "fall", "risk", "escape", "avoid", "be")
"""Verbs whose *subject* is what the noun trigger lands on: "Acme faces sanctions"."""
TARGETING_VERBS = frozenset(
    """target hit cover include affect apply name list aim concern freeze bar ban prohibit add designate
    penalize penalise punish single extend reach encompass catch impose slap level place lay""".split()  # noqa: SIM905
)
"""Verbs whose object a noun trigger as their subject lands on: "the sanctions **target** X" (not "the
sanctions are **working against** the EU", which is commentary)."""
NAMING_VERBS = frozenset({"name", "list", "identify", "include", "designate"})
"""Participles that name who the sanction lands on: "imposed sanctions on a ring, **naming** its leader X"."""
OBJECT_PREPS = frozenset({"on", "against", "targeting", "over", "upon"})
INCLUDING = frozenset({"including", "include"})
"""Prepositions that name some of a counted group: "three individuals including X"."""
AIM_PREPS = frozenset({"at", "on", "against", "to"})  # "… asset freezes now apply to X", "extend to X"
ACTION_NOUNS = frozenset({"designation", "listing", "blacklisting", "sanctioning", "freezing", "targeting"})
"""Nouns of an action whose ``of`` object is what it acts on: "the designation **of X** by the Treasury"."""
LIST_PREPS = frozenset({"to", "on", "onto", "in", "under", "with"})
PARTICIPANT_PREPS = frozenset({"with", "between", "among", "of", "and"})
SPANS = frozenset({"day", "hour", "minute", "week", "round", "session", "morning", "afternoon", "evening"})
"""Nouns that measure a meeting ("four hours of talks"): its participants are those of what governs them."""
SUBJECT_PREPS = frozenset({"by", "from"})
HOLDINGS = frozenset(
    {
        "asset",
        "assets",
        "property",
        "properties",
        "fund",
        "funds",
        "holding",
        "holdings",
        "account",
        "accounts",
        "stake",
        "stakes",
        "interest",
        "interests",
    }
)
"""Nouns standing for their owners: "froze the assets **of X**" is a measure against X."""


DAY_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday january february march april
    may june july august september october november december""".split()  # noqa: SIM905
)

TITLES = frozenset(
    """president prime minister premier chancellor king queen emir sultan crown prince princess taoiseach
    tanaiste captain capt gen general lt lieutenant judges col colonel maj major adm admiral brig brigadier marshal
    commander cmdr sgt sergeant dr mr mrs ms sir dame senator sen rep governor gov mayor judge justice
    former ex late acting interim deputy vice foreign defence defense finance chief secretary state
    president-elect field brigadier-general major-general lieutenant-general lt-gen maj-gen rear-admiral
    vice-admiral air-marshal honourable honorable hon haji hajji alhaji madam madame samdech datuk dato dato'
    datin sheikh sheikha excellency u daw imam ayatollah archbishop bishop cardinal rev reverend pastor
    engr government seri oknha ratu dasho shri smt tunku tengku h.e moha borvor bovor thipadei akka techo""".split()  # noqa: SIM905
)
"""Titles and honorifics written before a person's name ("Gen.", "Haji", "Samdech"): not part of it."""

DEMONYMS = {
    "american": "United States", "russian": "Russia", "chinese": "China", "ukrainian": "Ukraine",
    "german": "Germany", "french": "France", "british": "Britain", "japanese": "Japan", "indian": "India",
    "turkish": "Turkey", "iranian": "Iran", "israeli": "Israel", "italian": "Italy", "spanish": "Spain",
    "canadian": "Canada", "mexican": "Mexico", "brazilian": "Brazil", "chilean": "Chile",
    "peruvian": "Peru", "austrian": "Austria", "polish": "Poland", "hungarian": "Hungary",
    "saudi": "Saudi Arabia", "egyptian": "Egypt", "kenyan": "Kenya", "ugandan": "Uganda",
    "nigerian": "Nigeria", "south korean": "South Korea", "north korean": "North Korea",
    "korean": "South Korea", "australian": "Australia", "argentine": "Argentina", "dutch": "Netherlands",
    "swedish": "Sweden", "norwegian": "Norway", "finnish": "Finland", "belarusian": "Belarus",
    "vietnamese": "Vietnam", "indonesian": "Indonesia", "pakistani": "Pakistan", "qatari": "Qatar",
    "emirati": "United Arab Emirates", "colombian": "Colombia", "venezuelan": "Venezuela",
    "greek": "Greece", "portuguese": "Portugal", "irish": "Ireland", "swiss": "Switzerland",
    "belgian": "Belgium", "danish": "Denmark", "czech": "Czech Republic", "serbian": "Serbia",
    "georgian": "Georgia", "armenian": "Armenia", "azerbaijani": "Azerbaijan", "kazakh": "Kazakhstan",
    "thai": "Thailand", "malaysian": "Malaysia", "filipino": "Philippines", "south african": "South Africa",
    "ethiopian": "Ethiopia", "ghanaian": "Ghana", "moroccan": "Morocco", "algerian": "Algeria",
    "iraqi": "Iraq", "syrian": "Syria", "lebanese": "Lebanon", "jordanian": "Jordan",
    "afghan": "Afghanistan", "albanian": "Albania", "angolan": "Angola", "bahraini": "Bahrain",
    "bangladeshi": "Bangladesh", "beninese": "Benin", "bolivian": "Bolivia", "bosnian": "Bosnia and Herzegovina",
    "botswanan": "Botswana", "bulgarian": "Bulgaria", "burkinabe": "Burkina Faso", "burundian": "Burundi",
    "cambodian": "Cambodia", "cameroonian": "Cameroon", "chadian": "Chad", "congolese": "Congo",
    "costa rican": "Costa Rica", "croatian": "Croatia", "cuban": "Cuba", "cypriot": "Cyprus",
    "djiboutian": "Djibouti", "dominican": "Dominican Republic", "ecuadorian": "Ecuador",
    "salvadoran": "El Salvador", "eritrean": "Eritrea", "estonian": "Estonia", "fijian": "Fiji",
    "gabonese": "Gabon", "gambian": "Gambia", "guatemalan": "Guatemala", "guinean": "Guinea",
    "haitian": "Haiti", "honduran": "Honduras", "icelandic": "Iceland", "ivorian": "Côte d'Ivoire",
    "jamaican": "Jamaica", "kuwaiti": "Kuwait", "kyrgyz": "Kyrgyzstan", "laotian": "Laos", "lao": "Laos",
    "latvian": "Latvia", "liberian": "Liberia", "libyan": "Libya", "lithuanian": "Lithuania",
    "luxembourgish": "Luxembourg", "malagasy": "Madagascar", "malawian": "Malawi", "maldivian": "Maldives",
    "malian": "Mali", "maltese": "Malta", "mauritanian": "Mauritania", "mauritian": "Mauritius",
    "moldovan": "Moldova", "mongolian": "Mongolia", "montenegrin": "Montenegro", "mozambican": "Mozambique",
    "namibian": "Namibia", "nepali": "Nepal", "nepalese": "Nepal", "new zealand": "New Zealand",
    "nicaraguan": "Nicaragua", "nigerien": "Niger", "omani": "Oman", "panamanian": "Panama",
    "paraguayan": "Paraguay", "philippine": "Philippines", "romanian": "Romania", "rwandan": "Rwanda",
    "samoan": "Samoa", "senegalese": "Senegal", "sierra leonean": "Sierra Leone", "singaporean": "Singapore",
    "slovak": "Slovakia", "slovenian": "Slovenia", "slovene": "Slovenia", "somali": "Somalia",
    "sudanese": "Sudan", "south sudanese": "South Sudan", "sri lankan": "Sri Lanka", "surinamese": "Suriname",
    "tajik": "Tajikistan", "tanzanian": "Tanzania", "togolese": "Togo", "tongan": "Tonga",
    "trinidadian": "Trinidad and Tobago", "tunisian": "Tunisia", "turkmen": "Turkmenistan",
    "uruguayan": "Uruguay", "uzbek": "Uzbekistan", "yemeni": "Yemen", "zambian": "Zambia",
    "zimbabwean": "Zimbabwe", "macedonian": "North Macedonia", "north macedonian": "North Macedonia",
    "kosovar": "Kosovo", "kosovan": "Kosovo", "taiwanese": "Taiwan", "palestinian": "Palestine",
    "emiratis": "United Arab Emirates", "papua new guinean": "Papua New Guinea", "bhutanese": "Bhutan",
    "burmese": "Myanmar", "myanmar": "Myanmar", "ugandans": "Uganda",
    "new zealander": "New Zealand", "kiwi": "New Zealand",
    "solomon islands": "Solomon Islands", "vanuatuan": "Vanuatu", "ni-vanuatu": "Vanuatu",
    "seychellois": "Seychelles", "cabo verdean": "Cabo Verde", "cape verdean": "Cabo Verde",
    "equatorial guinean": "Equatorial Guinea", "lesotho": "Lesotho", "swazi": "Eswatini",
    "brunei": "Brunei", "bruneian": "Brunei", "timorese": "Timor-Leste", "belizean": "Belize",
    "guyanese": "Guyana", "barbadian": "Barbados", "bahamian": "Bahamas",
}  # fmt: skip
COUNTRY_NAMES = {name.lower(): name for name in DEMONYMS.values()}
COUNTRIES = frozenset(COUNTRY_NAMES)

CAPITALS = {
    "washington": "United States", "moscow": "Russia", "beijing": "China", "kyiv": "Ukraine", "kiev": "Ukraine",
    "berlin": "Germany", "paris": "France", "london": "Britain", "tokyo": "Japan", "new delhi": "India",
    "delhi": "India", "ankara": "Turkey", "tehran": "Iran", "jerusalem": "Israel", "rome": "Italy",
    "madrid": "Spain", "ottawa": "Canada", "mexico city": "Mexico", "brasilia": "Brazil", "brasília": "Brazil",
    "santiago": "Chile", "lima": "Peru", "vienna": "Austria", "warsaw": "Poland", "budapest": "Hungary",
    "riyadh": "Saudi Arabia", "cairo": "Egypt", "nairobi": "Kenya", "kampala": "Uganda", "abuja": "Nigeria",
    "seoul": "South Korea", "pyongyang": "North Korea", "canberra": "Australia", "buenos aires": "Argentina",
    "the hague": "Netherlands", "amsterdam": "Netherlands", "stockholm": "Sweden", "oslo": "Norway",
    "helsinki": "Finland", "minsk": "Belarus", "hanoi": "Vietnam", "jakarta": "Indonesia",
    "islamabad": "Pakistan", "doha": "Qatar", "abu dhabi": "United Arab Emirates", "bogota": "Colombia",
    "bogotá": "Colombia", "caracas": "Venezuela", "athens": "Greece", "lisbon": "Portugal", "dublin": "Ireland",
    "bern": "Switzerland", "brussels": "Belgium", "copenhagen": "Denmark", "prague": "Czech Republic",
    "belgrade": "Serbia", "tbilisi": "Georgia", "yerevan": "Armenia", "baku": "Azerbaijan",
    "astana": "Kazakhstan", "tashkent": "Uzbekistan", "bishkek": "Kyrgyzstan", "dushanbe": "Tajikistan",
    "ashgabat": "Turkmenistan", "bangkok": "Thailand", "kuala lumpur": "Malaysia", "manila": "Philippines",
    "pretoria": "South Africa", "addis ababa": "Ethiopia", "accra": "Ghana", "rabat": "Morocco",
    "algiers": "Algeria", "baghdad": "Iraq", "damascus": "Syria", "beirut": "Lebanon", "amman": "Jordan",
    "kabul": "Afghanistan", "tirana": "Albania", "luanda": "Angola", "dhaka": "Bangladesh",
    "la paz": "Bolivia", "sofia": "Bulgaria", "phnom penh": "Cambodia", "yaounde": "Cameroon",
    "yaoundé": "Cameroon", "n'djamena": "Chad", "kinshasa": "Democratic Republic of Congo",
    "san jose": "Costa Rica", "zagreb": "Croatia", "havana": "Cuba", "nicosia": "Cyprus", "quito": "Ecuador",
    "san salvador": "El Salvador", "tallinn": "Estonia", "suva": "Fiji", "guatemala city": "Guatemala",
    "conakry": "Guinea", "port-au-prince": "Haiti", "tegucigalpa": "Honduras", "reykjavik": "Iceland",
    "abidjan": "Côte d'Ivoire", "yamoussoukro": "Côte d'Ivoire", "kuwait city": "Kuwait",
    "vientiane": "Laos", "riga": "Latvia", "monrovia": "Liberia", "tripoli": "Libya", "vilnius": "Lithuania",
    "lilongwe": "Malawi", "malé": "Maldives", "male": "Maldives", "bamako": "Mali", "valletta": "Malta",
    "nouakchott": "Mauritania", "chisinau": "Moldova", "ulaanbaatar": "Mongolia", "podgorica": "Montenegro",
    "maputo": "Mozambique", "windhoek": "Namibia", "kathmandu": "Nepal", "wellington": "New Zealand",
    "managua": "Nicaragua", "niamey": "Niger", "skopje": "North Macedonia", "muscat": "Oman",
    "panama city": "Panama", "port moresby": "Papua New Guinea", "asuncion": "Paraguay", "asunción": "Paraguay",
    "bucharest": "Romania", "kigali": "Rwanda", "dakar": "Senegal", "freetown": "Sierra Leone",
    "singapore": "Singapore", "bratislava": "Slovakia", "ljubljana": "Slovenia", "honiara": "Solomon Islands",
    "mogadishu": "Somalia", "juba": "South Sudan", "colombo": "Sri Lanka", "khartoum": "Sudan",
    "dodoma": "Tanzania", "dar es salaam": "Tanzania", "lome": "Togo", "lomé": "Togo", "tunis": "Tunisia",
    "montevideo": "Uruguay", "port vila": "Vanuatu", "sanaa": "Yemen", "lusaka": "Zambia", "harare": "Zimbabwe",
    "apia": "Samoa", "nuku'alofa": "Tonga", "georgetown": "Guyana", "paramaribo": "Suriname",
    "ouagadougou": "Burkina Faso", "djibouti": "Djibouti", "asmara": "Eritrea", "gaborone": "Botswana",
}  # fmt: skip
"""Capitals, which the small model often takes for people and which stand for their governments."""

REGIONS = frozenset(
    {
        "west african", "east african", "southern african", "north african", "central african", "african",
        "central asian", "south asian", "southeast asian", "east asian", "asian", "north american",
        "south american", "latin american", "central american", "european", "arab", "nordic", "baltic",
        "balkan", "pacific", "caribbean", "gulf", "middle eastern", "mediterranean", "scandinavian",
    }
)  # fmt: skip
"""Adjectives of regions, which the small model sometimes takes for a person ("West African", "North American")."""

CITIES = frozenset(
    {
        "kherson", "crimea", "donetsk", "luhansk", "zaporizhzhia", "mariupol", "melitopol", "sevastopol", "odesa",
        "odessa", "kharkiv", "rostov", "rostov-on-don", "novorossiysk", "murmansk", "vladivostok", "kaliningrad",
        "yekaterinburg", "novosibirsk", "st petersburg", "saint petersburg", "primorsk", "ust-luga", "nakhodka",
        "almaty", "dubai", "sharjah", "fujairah", "jebel ali", "zug", "geneva", "zurich", "lugano", "hong kong",
        "shenzhen", "guangzhou", "shanghai", "ningbo", "qingdao", "dalian", "xiamen", "istanbul", "mersin",
        "izmir", "limassol", "larnaca", "piraeus", "rotterdam", "antwerp", "gdansk", "culiacan", "culiacán",
        "sinaloa", "jalisco", "tijuana", "darfur", "el fasher", "omdurman", "port sudan", "benghazi", "misrata",
        "zuwara", "tobruk", "bandar abbas", "basra", "erbil", "mosul", "aleppo", "latakia", "idlib", "gaza",
        "rafah", "mombasa", "lagos", "karachi", "lahore", "mumbai", "chennai", "kolkata", "jamnagar", "gujarat",
        "labuan", "johor", "penang", "yangon", "mandalay", "sagaing", "nampo", "sinuiju",
    }
)  # fmt: skip
"""Cities and regions that sanctions news names again and again, which the small model often tags as an
organisation or a person ("installed by Moscow in occupied Kherson", "the Zug company X"): a place is never
the party. Whole names only: "Shenzhen Quanda Electronics" is a company."""

DESCRIPTIVE_ENDINGS = ("-based", "-registered", "-linked", "-owned", "-flagged", "-run")
LIST_NAMES = ("list", "nationals", "sanctions regime", "targets", "economic measures", "sanctions act")
"""Words of a sanctions list's or law's name ("the Specially Designated Nationals", "the Consolidated List of
Financial Sanctions Targets", "the Special Economic Measures Act"): neither a party nor an authority."""
SUFFIX_WORDS = frozenset(
    "ltd llc pvt co inc plc jsc pjsc sa ag gmbh fze fzco dmcc llp trading company corp limited".split()  # noqa: SIM905
)
LISTING_BODIES = frozenset(  # bodies that publish or impose a listing, never its target
    {
        "official journal", "federal register", "foreign office", "european union", "council",
        "council of the european union", "state secretariat for economic affairs", "seco", "treasury",
        "us treasury", "u.s. treasury", "ministry of finance", "office of foreign assets control", "ofac",
        "office of financial sanctions implementation", "eu", "un security council", "security council",
        "commerce department", "state department", "global affairs canada", "department of foreign affairs and trade",
        "dfat",
    }
)  # fmt: skip


def place_or_title(name: str) -> bool:
    """A capital, a region, a sea or a palace, or titles alone, which the small model often tags as a person:
    "Rabat", "West African", "Celebes Seas", "Emir Sheikh", "Lt"."""
    lowered = name.lower().rstrip(".")
    words = lowered.split()
    return (
        lowered in CAPITALS
        or lowered in REGIONS
        or lowered in CITIES
        or (bool(words) and all(w.rstrip(".") in TITLES for w in words))
        or (len(words) > 1 and words[-1] in GEOGRAPHY)  # "Celebes Seas", "Malacañang Palace", "Riga Castle"
        or (  # "Lake Chilwa", "Mount Elgon" (not "Lake Shore Trading LLC")
            len(words) > 1
            and words[0] in _GEOGRAPHY_BEFORE
            and not any(w in ORGANISATION_WORDS for w in words)
        )
    )


def building(name: str) -> bool:
    """Where leaders meet, which the small model may tag as a person: "Palazzo Chigi", "Wisma Putra", "Casa
    Rosada", "Jubilee House", "State Houses" (not a test for companies: "X Trading House")."""
    words = name.lower().split()
    return len(words) > 1 and (words[0] in _BUILDINGS_BEFORE or words[-1] in _BUILDINGS_AFTER)


GEOGRAPHY = frozenset(
    """sea seas gulf bay strait straits river island islands lake ocean peninsula mountains valley canal desert
    coast palace airport castle mansion bhavan chancellery fortress""".split()  # noqa: SIM905
)
_GEOGRAPHY_BEFORE = frozenset(["lake", "mount", "isle"])
_BUILDINGS_BEFORE = frozenset(["palazzo", "casa", "wisma", "istana", "palais", "palacio", "schloss"])
_BUILDINGS_AFTER = frozenset(["house", "houses", "residence"])
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12, "hundred": 100, "a hundred": 100,
}  # fmt: skip
"""Numbers written as words, as counts and figures use them ("six firms", "two of its directors")."""


def no_party(name: str) -> bool:
    """A name that is no company or person: a city, a capital or a country ("in occupied Kherson", "the Zug
    company X", which the small model tags as organisations), or a sanctions list ("the Specially
    Designated Nationals")."""
    lowered = " ".join(name.split()).lower().removeprefix("the ").rstrip(".")
    words = lowered.split()
    return (
        lowered in CITIES
        or lowered in CAPITALS
        or lowered in COUNTRIES
        or any(part in LIST_NAMES for part in (*words, *(" ".join(pair) for pair in pairwise(words))))
    )


ORGANISATION_WORDS = frozenset(
    """ministry department office council union party group bank corp inc ltd plc company co agency
    commission committee federation association institute university fund service services news times post
    government court assembly parliament congress senate army forces police league club international
    national energy oil gas holdings trading shipping partners capital airlines airways house city palace
    hall street square island airport port station tower building centre center river sea gulf bay affairs
    treasury office community bloc alliance forum organisation organization banco banca banque grupo groupe
    avenida avenue calle rua plaza boulevard road majlis mazhilis secretariat presidency directorate chancellery
    bureau""".split()  # noqa: SIM905
)


def person_shaped(text: str) -> bool:
    """Two to four capitalised words, none an organisation word or an acronym: "Gustavo Petro"; initials
    may lead ("K P Sharma Oli", "K. P. Oli")."""
    words = " ".join(text.split()).split(" ")
    if not 2 <= len(words) <= 5 or words[0].lower() == "the":
        return False
    if words[-1].lower().rstrip(".") in TITLES:
        return False  # "Kazakh President": a title, not a name
    initials = 0
    while initials < len(words) - 1 and _INITIAL.fullmatch(words[initials]):
        initials += 1
    named = words[initials:]
    return (
        len(named) <= 4
        and len(named[-1]) > 1
        and all(
            word[:1].isupper()
            and not word.isupper()
            and word.replace("-", "").isalpha()
            and word.lower() not in ORGANISATION_WORDS
            for word in named
        )
    )


_INITIAL = re.compile(r"[A-Z]\.?")
