"""Articles written for these tests (not copied from anywhere): a day of other news, and one article to spin.

``OTHER_NEWS`` is the background a story decision is made against: the day's unrelated reports, plus a few
that share names with the seed stories but report other events (a Rosneft earnings report, a drone strike
in Ukraine, a Budapest budget row) — the false merges a story grouper must not make.
"""

from __future__ import annotations

import re

OTHER_NEWS: dict[str, str] = {
    "rosneft-earnings": (
        "Rosneft quarterly profit falls as rouble strength bites\n"
        "Rosneft, Russia's largest oil producer, said on Thursday its third-quarter net income fell 28% "
        "from a year earlier to 151 billion roubles, as a strong rouble and lower crude prices cut export "
        "revenue. "
        "Chief executive Igor Sechin told analysts the company would keep its dividend policy unchanged and "
        "expected refining margins to recover in the winter. Rosneft's production was flat at 4.1 million "
        "barrels per day of liquids. Its shares closed 1.2% lower in Moscow."
    ),
    "refinery-drone": (
        "Drones hit refinery in southern Russia, regional governor says\n"
        "Ukrainian drones struck an oil refinery in the Krasnodar region overnight, starting a fire that was "
        "put out by morning, the regional governor said on Thursday. Nobody was hurt. The plant processes "
        "about 90,000 barrels per day. Kyiv has stepped up attacks on Russian energy sites this autumn; "
        "President Volodymyr Zelensky said the strikes aim to cut the fuel that supplies Russia's army. "
        "Russia's defence ministry said air defences had downed 46 drones over several regions."
    ),
    "budapest-budget": (
        "Hungary's parliament passes 2026 budget after heated debate\n"
        "Lawmakers in Budapest approved next year's budget on Thursday, with the government of Viktor Orban "
        "promising tax cuts for families and a deficit of 4.1% of economic output. Opposition parties said "
        "the plan relied on optimistic growth forecasts and frozen European Union funds. The finance "
        "minister said inflation would slow to 3.6% next year and that the forint was stable."
    ),
    "fed-rates": (
        "Fed holds rates steady, signals patience on cuts\n"
        "The Federal Reserve kept its benchmark interest rate unchanged on Wednesday, saying inflation "
        "remained above its 2% target even as hiring slowed. Chair Jerome Powell told reporters that "
        "policymakers were in no hurry to lower borrowing costs. Treasury yields rose after the decision "
        "and the dollar firmed against the euro and the yen."
    ),
    "football": (
        "Late header sends Porto top of the table\n"
        "A stoppage-time header from their captain gave Porto a 2-1 win at Braga on Thursday night and sent "
        "them two points clear at the top of the league. Braga had led through a first-half penalty, but "
        "the visitors pressed for the whole second half. The coach praised his players' fitness and said "
        "the title race was far from over with 20 games left."
    ),
    "earthquake": (
        "Strong earthquake shakes western Turkey, no deaths reported\n"
        "A magnitude 6.1 earthquake struck western Turkey on Thursday evening, damaging dozens of old "
        "buildings in Balikesir province, the disaster agency AFAD said. Rescue teams searched collapsed "
        "houses through the night; 22 people were treated in hospital for minor injuries. The quake was felt "
        "in Istanbul and Izmir, where residents spent the night outdoors."
    ),
    "chip-launch": (
        "Chipmaker unveils faster processor for data centres\n"
        "Nordic semiconductor designer Kvarts launched a new server processor on Thursday that it said "
        "doubles the performance of its previous generation while using a third less power. The chip will "
        "be made by TSMC and ships to cloud providers early next year. Analysts said demand for artificial "
        "intelligence hardware was lifting orders across the industry."
    ),
    "opec-output": (
        "OPEC+ agrees modest output increase for December\n"
        "OPEC+ agreed on Thursday to raise oil output by 137,000 barrels per day in December, continuing a "
        "gradual unwinding of earlier cuts, delegates said after an online meeting. Saudi Arabia and its "
        "partners said they would pause further increases in the first quarter because of seasonally weak "
        "demand. Brent crude rose 1.4% to $65.30 a barrel after the decision."
    ),
    "wildfire": (
        "Wildfire forces evacuations near Marseille\n"
        "Firefighters battled a wildfire in the hills north of Marseille on Thursday as strong winds pushed "
        "flames towards houses, and about 1,500 residents were told to leave. Water-bombing planes made "
        "repeated runs over the area. The prefecture said the blaze had burned 700 hectares of scrubland "
        "and that the main motorway to the airport was closed."
    ),
    "court-ruling": (
        "Top court rules against airline in baggage fee case\n"
        "The European Court of Justice ruled on Thursday that airlines may not charge extra for reasonable "
        "hand luggage, siding with a Spanish consumer group in a long-running case against a low-cost "
        "carrier. The judgment applies across the bloc. The airline said it would study the decision and "
        "that fares might rise as a result."
    ),
    "gas-flows": (
        "Gazprom gas flows via TurkStream steady at 42 million cubic metres a day\n"
        "Russian gas exports to Europe through the TurkStream pipeline held at about 42 mcm/d this week, "
        "according to transmission data, as Hungary and Slovakia continued to buy under long-term contracts. "
        "Gazprom has said it expects European demand to rise in winter. Storage sites in the EU were 83% "
        "full, slightly below the average of recent years."
    ),
    "election": (
        "Ruling party wins Czech regional elections\n"
        "The ruling party won most of the 13 regions in Czech regional elections over the weekend, results "
        "showed on Sunday, though turnout fell to 33%. Opposition leaders said voters had punished the "
        "government for high energy bills. The prime minister promised to cut red tape for small firms and "
        "to speed up motorway construction."
    ),
}

# Paragraph-rich original for the synonym-spin test.
SPIN_ORIGINAL = (
    "Port strike halts grain exports from Odesa region\n"
    "Dock workers at three ports in the Odesa region walked out on Monday over unpaid wages, halting grain "
    "loadings and leaving more than 40 ships waiting at anchor, the port authority said.\n"
    "The strike began at dawn at Pivdennyi, the largest of the three, and spread to Chornomorsk and Odesa by "
    "midday. Union leaders said workers had not been paid for two months and would stay out until the "
    "money arrived.\n"
    "Ukraine exported 3.2 million tonnes of grain in September, most of it through the Odesa ports, and "
    "traders warned that a long stoppage would push up wheat prices in Egypt and Turkey, two of the biggest "
    "buyers.\n"
    "The infrastructure minister said the government would meet the unions on Tuesday and promised that "
    "wages would be paid within a week. Shipping agents said the queue of vessels could double by Friday if "
    "no deal was reached.\n"
    "Wheat futures in Chicago rose 2.1% on the news, while Black Sea freight rates jumped as shipowners "
    "priced in the delays."
)

# word → synonym, the way a spinning tool rewrites a text to pass it off as new
_SYNONYMS = {
    "workers": "employees",
    "walked": "marched",
    "halting": "stopping",
    "leaving": "leaving behind",
    "ships": "vessels",
    "waiting": "queuing",
    "said": "stated",
    "began": "started",
    "largest": "biggest",
    "spread": "extended",
    "midday": "noon",
    "leaders": "chiefs",
    "paid": "compensated",
    "months": "months running",
    "stay": "remain",
    "arrived": "came",
    "exported": "shipped",
    "most": "the bulk",
    "traders": "dealers",
    "warned": "cautioned",
    "long": "lengthy",
    "stoppage": "shutdown",
    "push": "drive",
    "biggest": "largest",
    "buyers": "purchasers",
    "government": "administration",
    "meet": "hold talks with",
    "promised": "pledged",
    "within": "inside",
    "queue": "line",
    "could": "might",
    "double": "twice as long",
    "reached": "agreed",
    "rose": "climbed",
    "news": "reports",
    "jumped": "surged",
    "delays": "hold-ups",
}


def spin(text: str) -> str:
    """A synonym-spun copy of ``text``: every word in the synonym table swapped, the rest kept."""
    return re.sub(r"[A-Za-z]+", lambda m: _SYNONYMS.get(m.group(0), m.group(0)), text)
