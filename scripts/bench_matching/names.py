"""Names for the UK-shaped generator: (girls, boys, surnames) per background."""

from __future__ import annotations

GROUPS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "british": (
        "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Poppy Evie Ella "
        "Florence Willow Rosie Daisy Elsie Emily Ruby Charlotte Katherine Elizabeth Rebecca "
        "Jessica Abigail Victoria Hannah Megan Chloe Lauren Courtney Kayleigh Jade".split(),
        "Oliver George Noah Arthur Harry Leo Muhammad Jack Charlie Oscar Jacob Henry Thomas "
        "Freddie Alfie Theo William Archie Joshua James Samuel Daniel Benjamin Alexander "
        "Edward Robert Richard Matthew Christopher Nicholas Joseph Michael Liam Tyler Kieran".split(),
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke Patel Harris Lewis Martin Cooper "
        "Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips "
        "Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson "
        "Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson "
        "Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
        "Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler "
        "Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Whitmore Ashworth Pennington".split(),
    ),
    "irish": (
        "Aoife Niamh Siobhan Saoirse Ciara Roisin Orla Sinead Caoimhe Aisling Grainne Mairead".split(),
        "Sean Padraig Cian Oisin Darragh Eoin Ciaran Conor Ronan Cathal Diarmuid Fionn".split(),
        "Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle "
        "McCarthy Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLoughlin Carroll "
        "Connolly Daly O'Connell Dunne Brennan Burke Collins Fitzgerald MacNamara".split(),
    ),
    "welsh": (
        "Ffion Cerys Seren Angharad Carys Bethan Eira Lowri Nia Megan Sian Gwen Rhiannon".split(),
        "Dafydd Rhys Gareth Ieuan Owain Iwan Emyr Gethin Huw Llyr Tomos Steffan Dylan".split(),
        "Jones Williams Davies Evans Thomas Roberts Hughes Lewis Morgan Griffiths Price "
        "Edwards Jenkins Owen Rees Pritchard Llewellyn Vaughan Powell Parry Bowen Prosser".split(),
    ),
    "south_asian": (
        "Aisha Fatima Zara Maryam Amira Ayesha Hafsa Zainab Sana Priya Anika Simran Harleen "
        "Nusrat Safiya Khadija Iqra Mehreen Jasleen Kiran".split(),
        "Muhammad Mohammed Mohamed Ahmed Ali Hassan Hussain Ibrahim Yusuf Omar Zain Amir "
        "Arjun Rohan Aarav Harjit Gurpreet Imran Bilal Hamza Rayyan Ayaan".split(),
        "Khan Ahmed Ali Hussain Begum Akhtar Iqbal Rahman Patel Shah Singh Kaur Sharma Mahmood "
        "Chaudhry Butt Malik Hassan Islam Uddin Miah Bibi Qureshi Siddiqui Gill Sandhu Dhillon".split(),
    ),
    "polish": (
        "Zofia Zuzanna Julia Maja Oliwia Hanna Lena Alicja Małgorzata Agnieszka Katarzyna "
        "Wiktoria Łucja Joanna".split(),
        "Jakub Kacper Szymon Filip Antoni Mikołaj Wojciech Łukasz Michał Paweł Piotr "
        "Krzysztof Mateusz Tomasz".split(),
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
        "Nowakowski Pawłowski Michalski Łuczak Przybylski Żak Górski Sikora".split(),
    ),
    "eastern_european": (
        "Ioana Andreea Elena Maria Daria Alina Bianca Anastasia Viktoria Milena Ivana Jana "
        "Tereza Lucie Natália".split(),
        "Andrei Alexandru Ionuț Mihai Ștefan Dmitri Nikola Lazar Marek Tomáš Jiří Luka Đorđe "
        "Aleksandar Bogdan".split(),
        "Popescu Ionescu Popa Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Novák Svoboda "
        "Dvořák Černý Horváth Nagy Tóth Szabó Petrović Jovanović Đorđević Kovačević Ivanov "
        "Petrov Balogh Rusu Munteanu".split(),
    ),
    "other": (
        "Amara Chiamaka Adaeze Ngozi Yasmin Leila Sofia Ines Chen Mei Hana Ayşe Elif".split(),
        "Chukwuemeka Oluwaseun Tunde Kwame Kofi Mehmet Emre Yiğit Luca Mateo Diego Wei Hiro".split(),
        "Okafor Adeyemi Okonkwo Mensah Asante Yilmaz Kaya Demir Öztürk Rossi Silva Santos "
        "Garcia Fernandes Nguyen Chen Wang Tanaka Abdullahi Mohamud Warsame".split(),
    ),
}

#: Share of children from each background (an English city, roughly).
WEIGHTS = {
    "british": 55,
    "irish": 6,
    "welsh": 5,
    "south_asian": 14,
    "polish": 7,
    "eastern_european": 6,
    "other": 7,
}

#: What the referrer may write for a first name (the matcher's own table is not used).
NICKNAMES = {
    "William": ["Bill", "Will", "Billy"],
    "Katherine": ["Kate", "Katie", "Cathy"],
    "Elizabeth": ["Liz", "Beth", "Lizzie"],
    "Robert": ["Rob", "Bobby"],
    "James": ["Jim", "Jamie"],
    "Thomas": ["Tom", "Tommy"],
    "Alexander": ["Alex"],
    "Daniel": ["Dan", "Danny"],
    "Samuel": ["Sam"],
    "Benjamin": ["Ben"],
    "Edward": ["Ed", "Eddie", "Ted"],
    "Matthew": ["Matt"],
    "Christopher": ["Chris"],
    "Nicholas": ["Nick"],
    "Joseph": ["Joe"],
    "Michael": ["Mike", "Mick"],
    "Richard": ["Rich", "Ricky"],
    "Jessica": ["Jess"],
    "Rebecca": ["Becky"],
    "Abigail": ["Abbie"],
    "Victoria": ["Vicky"],
    "Muhammad": ["Mohammed", "Mohamed", "Mohammad"],
    "Mohammed": ["Muhammad", "Mohamed"],
    "Mohamed": ["Muhammad", "Mohammed"],
    "Jakub": ["Kuba"],
    "Aleksandar": ["Aleksander", "Alex"],
    "Katarzyna": ["Kasia"],
    "Małgorzata": ["Gosia"],
    "Dafydd": ["Dai", "David"],
    "Ieuan": ["Evan"],
    "Ayesha": ["Aisha"],
    "Aisha": ["Ayesha"],
    "Jack": ["John"],
}

STREETS = (
    "High Street|Station Road|Church Lane|Victoria Road|Green Lane|Manor Road|Park Avenue|"
    "Queens Road|Mill Lane|School Lane|The Crescent|Kings Road|Grange Road|New Street|"
    "Albert Road|Springfield Road|Chapel Street|York Road|Windsor Close|Oak Drive"
).split("|")
TOWNS = ["Exeter", "Leeds", "Bradford", "Luton", "Peterborough", "Cardiff", "Liverpool", "Slough"]
AREAS = ["EX", "LS", "BD", "LU", "PE", "CF", "L", "SL"]
