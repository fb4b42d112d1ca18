# ruff: noqa: E501  -- story prose reads better unwrapped
"""Invented news stories for the corpus: fictional places, people and outlets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    slug: str
    section: str
    headline: str
    date: str
    caption: str
    paragraphs: tuple[str, ...]
    credit: str = ""


Q_BRIDGE = (
    "\u201cWe were told the bridge would stand for a hundred years, and it did not last "
    "forty,\u201d said Teodora Vaskes, who chairs the residents\u2019 association in Lower Marrow."
)
Q_RATES = (
    "\u201cInflation is coming down, but it is not yet where it needs to be, and we will not "
    "declare victory early,\u201d governor Ilse Brandvik told reporters."
)

STORIES: tuple[Story, ...] = (
    Story(
        "marrow-bridge-collapse",
        "national",
        "Section of Marrow river bridge collapses after week of floods",
        "12 March 2025",
        "Rescue crews inspect the collapsed span of the Marrow bridge. Photo: K. Oduya",
        (
            "A 60-metre section of the road bridge over the Marrow river collapsed early on Tuesday after a week of heavy rain swelled the river to its highest level in three decades, cutting the main link between the port town of Sellick and the eastern suburbs.",
            "No one was on the span when it fell shortly before 5 a.m., police said. Traffic had been halted the previous evening after engineers reported cracks in two of the piers.",
            Q_BRIDGE,
            "The regional transport authority said a temporary ferry service would begin on Thursday and that a pontoon crossing could be in place within six weeks. Commuters face detours of up to 40 kilometres in the meantime.",
            "Opposition lawmakers demanded an inquiry into maintenance spending, which fell by a third over the past decade according to the authority's own annual reports.",
        ),
        "(Reporting by Amara Quist; Editing by Joel Mendis)",
    ),
    Story(
        "marrow-bridge-inquiry",
        "national",
        "Government orders inquiry into Marrow bridge maintenance",
        "19 March 2025",
        "The remaining piers of the Marrow bridge, photographed from a ferry. Photo: K. Oduya",
        (
            "The government on Wednesday ordered an independent inquiry into the maintenance of the Marrow river bridge, a week after part of the structure collapsed into floodwater.",
            "Transport minister Halvard Oyen told parliament the inquiry would examine inspection records going back twenty years and report within six months. He said he would follow its recommendations in full.",
            Q_BRIDGE,
            "Engineers hired by the transport authority said on Monday that the remaining spans were stable but would have to be demolished. A replacement bridge is not expected before 2028.",
            "Ferry operators have added night sailings to cope with demand, and the town council has asked employers to allow staff to work from home where possible.",
        ),
        "Additional reporting by Lin Petrakis.",
    ),
    Story(
        "central-bank-holds",
        "business",
        "Central bank holds rates, signals patience on cuts",
        "6 February 2025",
        "The headquarters of the Bank of Estrel in Norrvik. Photo: Bank of Estrel",
        (
            "The Bank of Estrel kept its main interest rate at 3.75 percent on Thursday for a fourth consecutive meeting, resisting pressure from exporters to cut borrowing costs as inflation eases more slowly than forecast.",
            Q_RATES,
            "Consumer prices rose 2.9 percent in the year to January, down from a peak of 8.1 percent two years ago but still above the bank's 2 percent target. Services inflation, driven by wages, has proved especially stubborn.",
            "The krone strengthened slightly after the decision. Analysts at Hollin Securities said markets now expect the first cut in June, later than the April move many investors had priced in at the start of the year.",
            "The vote was seven to two.",
        ),
        "(Reporting by Sefa Lindqvist; Editing by Mark Oyelaran)",
    ),
    Story(
        "central-bank-cuts",
        "business",
        "Bank of Estrel makes first rate cut in four years",
        "12 June 2025",
        "Governor Ilse Brandvik at a news conference in Norrvik. Photo: Bank of Estrel",
        (
            "The Bank of Estrel cut its main interest rate by a quarter point to 3.5 percent on Thursday, its first reduction since 2021, and said further cuts would depend on how quickly wage growth cools.",
            "The decision had been widely expected after inflation fell to 2.3 percent in May. Mortgage lenders were quick to follow, with two of the largest announcing lower fixed rates within hours.",
            "In February, when the bank held rates for a fourth time, the governor struck a cautious note that she repeated on Thursday.",
            Q_RATES,
            "Shares in homebuilders rose more than 3 percent in Norrvik trading.",
        ),
        "AFP contributed reporting.",
    ),
    Story(
        "streaming-subscribers",
        "business",
        "Streaming service Lumenbox loses subscribers after price rise",
        "24 April 2025",
        "The Lumenbox app on a television screen. Photo: Lumenbox",
        (
            "Lumenbox, the region's largest video streaming service, lost 1.2 million subscribers in the first quarter after raising its monthly price by a fifth, the company reported on Thursday.",
            "Chief executive Dana Morrow told analysts on a call that most cancellations came from customers on the cheapest plan and that revenue per user had still risen. The company's shares fell 9 percent.",
            "The service now has 31 million paying members. It plans to launch a cheaper plan with advertising in the autumn and to share more of its catalogue with a rival platform in two smaller markets.",
            "Subscribers who signed up before 2023 will keep their old price until the end of the year.",
        ),
        "(Reporting by Tomasz Ereng; Editing by Sefa Lindqvist)",
    ),
    Story(
        "measles-outbreak",
        "health",
        "Measles cases climb in Dunmere as vaccination rates lag",
        "3 May 2025",
        "A nurse prepares a vaccine at a clinic in Dunmere. Photo: R. Asante",
        (
            "Health officials in Dunmere province reported 214 confirmed cases of measles on Friday, the largest outbreak in more than a decade, and urged parents to check their children's vaccination records.",
            "Most of the cases are in children under ten who had not received both doses of the vaccine. Eleven people have been admitted to hospital; none has died.",
            "Vaccination coverage in the province fell to 86 percent during the pandemic years, below the 95 percent needed to stop the virus from spreading, according to figures from the national health institute.",
            "Clinics will open on Saturdays until the end of June. Schools have been asked to send home any child with a fever and a rash and to follow the institute's guidance on exclusion periods.",
            "\u201cMeasles is not a mild illness. It is one of the most contagious diseases we know,\u201d the province's chief medical officer, Dr. Naomi Achterberg, said.",
        ),
        "",
    ),
    Story(
        "rail-strike",
        "national",
        "Rail workers begin three-day strike over pay and staffing",
        "17 January 2025",
        "An empty platform at Sellick Central station on Monday morning. Photo: J. Harrow",
        (
            "Train drivers and conductors walked out on Monday at the start of a three-day strike that halted almost all passenger services on the national network, the second such stoppage this winter.",
            "The union representing about 9,000 workers is seeking a 7 percent pay rise and a guarantee that conductors will remain on every train. The state operator has offered 4 percent over two years.",
            "Commuters crowded onto buses and into shared taxis in the capital, where road traffic was heavier than usual. Some employers told staff to stay at home.",
            "The union said it had the support of more than 90 percent of members who voted in last month's ballot. Talks are due to resume on Thursday.",
        ),
        "(Reporting by Petra Halloran; Editing by Amara Quist)",
    ),
    Story(
        "comet-discovery",
        "science",
        "Amateur astronomer spots comet that will be visible to naked eye",
        "28 August 2025",
        "Comet C/2025 Q3 photographed from the Hessa observatory. Photo: Hessa Observatory",
        (
            "An amateur astronomer in the mountain village of Hessa has discovered a comet that scientists expect to become bright enough to see without a telescope in late November.",
            "Ruben Alcott, a retired schoolteacher, noticed the faint smudge of light in images taken from his garden observatory and reported it to the international minor planet centre, which confirmed the find two days later.",
            "Astronomers caution that comets are notoriously hard to predict. Some brighten dramatically as they near the sun; others break apart. Observers will follow its path closely over the coming weeks.",
            "\u201cI have been looking at the sky for forty years and never found anything new. I had to check the pictures three times,\u201d Alcott said.",
        ),
        "",
    ),
    Story(
        "wildfire-evacuation",
        "national",
        "Thousands evacuated as wildfire spreads near Calder Ridge",
        "9 July 2025",
        "Smoke rises over the hills above Calder Ridge on Tuesday. Photo: M. Ferreira",
        (
            "About 4,000 people were ordered to leave their homes around Calder Ridge on Tuesday as a wildfire driven by strong winds spread across dry hillsides, burning at least 2,300 hectares.",
            "Firefighters supported by six water-bombing aircraft were working to protect the town's western edge, the regional fire service said. Two houses and several farm buildings have been destroyed.",
            "Temperatures have exceeded 38 degrees Celsius for eight consecutive days, and authorities had banned open fires across the region a week earlier.",
            "Evacuees were being housed in schools and a sports hall in the neighbouring town of Osby. Residents can register with the council's emergency line to receive updates on when they may return.",
            "No injuries have been reported.",
        ),
        "(Reporting by Jonas Keel; Editing by Petra Halloran)",
    ),
    Story(
        "court-data-ruling",
        "technology",
        "Top court rules retailer broke privacy law with tracking",
        "2 October 2025",
        "The Supreme Court building in Norrvik. Photo: T. Lindgren",
        (
            "The Supreme Court ruled on Wednesday that the retail chain Hamling broke data protection law by tracking shoppers across its website and mobile app without valid consent, upholding a record fine.",
            "Regulators have fined the retailer 4 million krone over tracking cookies placed without consent.",
            "The company had argued that customers accepted the tracking when they created an account. The court found that the consent form was designed to steer users towards agreeing and did not explain what data would be shared with advertisers.",
            "Privacy campaigners welcomed the decision, which they said would force dozens of companies to redesign their sign-up pages. Hamling said it would comply and had already changed its practices.",
        ),
        "Additional reporting by Ade Folarin.",
    ),
    Story(
        "harbour-expansion",
        "business",
        "Port of Sellick wins approval for deep-water terminal",
        "14 November 2025",
        "Container cranes at the Port of Sellick. Photo: Port of Sellick",
        (
            "Planning authorities on Friday approved a 1.4 billion krone expansion of the Port of Sellick that will allow the largest container ships to dock there for the first time.",
            "The project includes dredging the harbour channel to a depth of 17 metres and building a new quay with six cranes. Construction is due to begin next spring and take four years.",
            "Environmental groups had objected that dredging would disturb seagrass beds used by young fish. The approval requires the port to replant an area twice the size of the beds that are lost.",
            "\u201cThis is the biggest investment in the town since the shipyard closed,\u201d mayor Ingrid Soltau said, adding that up to 800 permanent jobs could follow.",
        ),
        "(Reporting by Mark Oyelaran; Editing by Tomasz Ereng)",
    ),
    Story(
        "museum-theft",
        "culture",
        "Medieval chalice stolen from Varden cathedral museum",
        "21 February 2025",
        "The empty display case at the Varden cathedral museum. Photo: Varden police",
        (
            "Thieves broke into the cathedral museum in Varden overnight and stole a gilded silver chalice dating from the thirteenth century, police said on Friday.",
            "The intruders forced a side door and disabled an alarm sensor before smashing a display case. Nothing else was taken, suggesting the theft had been planned, a police spokesman said.",
            "The chalice, decorated with enamel figures of the apostles, is considered one of the finest pieces of medieval metalwork in the country. Its insurance value has not been disclosed.",
            "Police asked anyone who saw a vehicle near the cathedral between midnight and 3 a.m. to come forward, and have alerted border authorities and international art-loss registers.",
        ),
        "",
    ),
    Story(
        "drought-farmers",
        "national",
        "Farmers in the south face second year of drought",
        "30 June 2025",
        "Dry fields near Ostra Vik in early June. Photo: H. Blom",
        (
            "Wheat and barley farmers in the southern plains expect harvests to fall by as much as 40 percent this year as a second consecutive spring drought leaves crops stunted, their association said on Monday.",
            "Rainfall between March and June was less than half the long-term average, the national weather service said. Several municipalities have restricted the use of water for irrigation.",
            "The agriculture ministry has extended an emergency support scheme that pays farmers who keep livestock on their land. About 2,100 farms signed up for the scheme last year.",
            "\u201cWe can survive one bad year. Two in a row will put some families out of farming,\u201d said Karsten Ulve, who grows grain on 300 hectares near Ostra Vik.",
            "Grain prices on regional markets have risen 12 percent since April.",
        ),
        "(Reporting by Jonas Keel; Editing by Amara Quist)",
    ),
    Story(
        "cyber-attack-hospital",
        "technology",
        "Cyber attack forces hospitals to postpone operations",
        "11 September 2025",
        "Ambulances outside the Norrvik university hospital. Photo: S. Dahl",
        (
            "Three hospitals in the Norrvik region postponed planned operations on Thursday after a ransomware attack disabled their patient record systems, health authorities said.",
            "Emergency departments remained open, but staff were working with paper records and ambulances were being diverted to other hospitals where possible.",
            "The national cyber security centre said the attack had been carried out by a criminal group that encrypts data and demands payment to unlock it. The region said it would not pay.",
            "It was not yet clear whether patient data had been copied. Patients whose appointments are affected will be contacted directly, the region said, and should not call the hospitals.",
        ),
        "(Reporting by Ade Folarin; Editing by Sefa Lindqvist)",
    ),
    Story(
        "election-coalition",
        "politics",
        "Centre-left and Greens agree coalition after weeks of talks",
        "8 December 2025",
        "Party leaders shake hands after signing the coalition agreement. Photo: P. Oduya",
        (
            "The Social Democrats and the Green Party agreed on Monday to form a coalition government, ending seven weeks of negotiations after an election that left no party with a majority.",
            "The agreement, a 96-page document, commits the new government to raising the minimum wage, expanding rail freight and phasing out coal in district heating by 2030.",
            "The two parties hold 91 of the 179 seats in parliament, a majority of three. Social Democrat leader Maren Tollefsen is expected to be confirmed as prime minister on Thursday.",
            "The outgoing conservative government said the programme would raise taxes on small businesses. Business groups said they would follow the details of the budget closely.",
            "The vote in parliament is expected to pass 91 to 88.",
        ),
        "AFP and Reuters contributed to this report.",
    ),
    Story(
        "heatwave-records",
        "science",
        "Capital records hottest night as heatwave breaks records",
        "24 July 2025",
        "People cool off in the fountains of Norrvik's central square. Photo: L. Amundsen",
        (
            "The temperature in Norrvik did not fall below 26.4 degrees Celsius overnight into Thursday, the warmest night since records began in 1874, the national weather service said.",
            "Daytime highs reached 36 degrees in the capital and 39 degrees in the southern interior. The heatwave is expected to last until Sunday, when thunderstorms should bring cooler air from the west.",
            "Hospitals reported a rise in admissions of elderly patients with dehydration. The city opened air-conditioned libraries and sports halls as cooling centres until midnight.",
            "Climate scientists say such nights, which prevent the body from recovering from daytime heat, have become four times more frequent in the region since the 1980s.",
        ),
        "",
    ),
    Story(
        "fisheries-quota",
        "politics",
        "Fishing quotas for cod cut by a quarter",
        "16 December 2025",
        "Trawlers moored in the harbour at Brisvik. Photo: E. Nyholm",
        (
            "Ministers agreed early on Tuesday to cut next year's cod quota in the northern sea by 25 percent, following scientific advice that stocks have fallen to their lowest level in twenty years.",
            "The fishing industry had lobbied for a smaller cut, warning that several coastal communities depend almost entirely on the catch. Fishermen's associations said they would seek compensation.",
            "Scientists at the marine research institute had recommended an even larger reduction of 35 percent. Herring and mackerel quotas were left largely unchanged.",
            "\u201cIt is painful, but the alternative is that there is no cod left to fish,\u201d fisheries minister Bo Karlsen said after the talks.",
        ),
        "(Reporting by Lin Petrakis; Editing by Joel Mendis)",
    ),
    Story(
        "space-launch",
        "science",
        "First satellite launched from northern spaceport",
        "4 April 2025",
        "The rocket lifts off from the Andvik launch site. Photo: Andvik Spaceport",
        (
            "A small rocket carrying an earth observation satellite lifted off from the Andvik spaceport on Friday, the first orbital launch from the country's territory.",
            "The satellite, built by a university consortium, will monitor sea ice and coastal erosion. Ground controllers confirmed contact about an hour after launch.",
            "The spaceport was built with public and private money at a cost of about 600 million krone. Its operators hope to attract commercial customers who want to place small satellites in polar orbits.",
            "Two earlier attempts were called off because of strong winds and a faulty valve.",
            "Several hundred people gathered on a hillside outside the security zone to watch, some having camped overnight.",
        ),
        "",
    ),
    Story(
        "housing-prices",
        "business",
        "House prices fall for sixth month as mortgage costs bite",
        "1 August 2025",
        "New apartment blocks under construction in Osby. Photo: M. Ferreira",
        (
            "Average house prices fell 0.8 percent in July, the sixth consecutive monthly decline, as higher mortgage rates continued to weigh on demand, the national property association said on Friday.",
            "Prices are now 7 percent below their peak in January last year. The fall has been steepest for newly built apartments in suburban areas, where developers have begun offering discounts.",
            "The number of homes sold in July was 14 percent lower than a year earlier. Estate agents reported that buyers were taking longer to decide and more often asking for price reductions.",
            "Economists at Hollin Securities expect prices to stabilise later this year if the central bank begins to lower rates as markets expect.",
        ),
        "(Reporting by Sefa Lindqvist; Editing by Mark Oyelaran)",
    ),
    Story(
        "school-reform",
        "politics",
        "Parliament passes school reform ending grades for young pupils",
        "27 May 2025",
        "Pupils leave a primary school in Varden. Photo: H. Blom",
        (
            "Parliament on Tuesday approved a reform that will abolish numerical grades for pupils under twelve and replace them with written assessments, despite objections from some teachers' groups.",
            "The education minister, Lotte Hagen, said the change would let teachers focus on what pupils need to learn next rather than on ranking them. The reform takes effect in August next year.",
            "Critics argue that written assessments are harder for parents to understand and will add to teachers' workload. One teachers' union has asked for extra preparation time to be funded.",
            "The bill passed with 102 votes in favour and 71 against.",
        ),
        "",
    ),
    Story(
        "airline-strike",
        "business",
        "Pilots' strike grounds half of Nordvind flights",
        "19 August 2025",
        "Departure boards show cancelled Nordvind flights at Norrvik airport. Photo: S. Dahl",
        (
            "Nordvind Air cancelled about half of its flights on Tuesday as pilots went on strike over pensions, leaving tens of thousands of passengers searching for alternatives at the height of the holiday season.",
            "The airline said it would rebook passengers on partner airlines where possible and offer refunds to anyone who chose not to travel. Long-haul routes were not affected.",
            "The pilots' union says the airline wants to move new pilots to a less generous pension scheme. Management says the change is needed to compete with low-cost carriers.",
            "Passengers can check the status of their flights on the airline's website. The consumer agency reminded travellers that they may be entitled to compensation.",
        ),
        "(Reporting by Tomasz Ereng; Editing by Petra Halloran)",
    ),
    Story(
        "grid-battery",
        "technology",
        "Country's largest grid battery switched on in Osby",
        "5 March 2025",
        "Battery containers at the Osby energy storage site. Photo: Osby Energi",
        (
            "A 200-megawatt battery storage plant began operating near Osby on Wednesday, the largest in the country, designed to store surplus wind power and release it during evening demand peaks.",
            "The plant consists of 120 shipping-container-sized units and can supply power to about 150,000 homes for two hours, according to its owner, the municipal utility Osby Energi.",
            "Grid operators say storage is needed as wind and solar supply a growing share of electricity. Prices on the power exchange have swung more sharply in the past year as a result.",
            "A second plant of similar size is planned on the west coast.",
        ),
        "",
    ),
)

# Headlines of stories not in the corpus, for rails and teasers.
OTHER_HEADLINES: tuple[str, ...] = (
    "Ferry operator orders two electric vessels for island routes",
    "Explainer: What the new building code means for homeowners",
    "Ice hockey federation appoints first female president",
    "Court jails former mayor for accepting gifts from developer",
    "Why the price of coffee keeps rising",
    "Mountain village votes to ban holiday rentals",
    "Opposition leader calls for early election after budget defeat",
    "Record number of wolves counted in winter survey",
    "Tech start-up raises 80 million for recycling robots",
    "Weekend storms expected to bring snow to the north",
    "National orchestra cancels tour over funding row",
    "Analysis: Can the coalition survive its first budget?",
)
