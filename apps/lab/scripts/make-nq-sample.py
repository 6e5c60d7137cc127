"""Writes data/nq_open_sample.jsonl: nq_open-like rows (lower-case question without "?", list of answers), offline."""
import json, random

capitals = {"france": "paris", "germany": "berlin", "italy": "rome", "spain": "madrid", "portugal": "lisbon", "japan": "tokyo",
 "china": "beijing", "india": "new delhi", "canada": "ottawa", "australia": "canberra", "brazil": "brasília", "argentina": "buenos aires",
 "egypt": "cairo", "kenya": "nairobi", "nigeria": "abuja", "russia": "moscow", "poland": "warsaw", "sweden": "stockholm",
 "norway": "oslo", "finland": "helsinki", "denmark": "copenhagen", "ireland": "dublin", "greece": "athens", "turkey": "ankara",
 "mexico": "mexico city", "peru": "lima", "chile": "santiago", "colombia": "bogotá", "south korea": "seoul", "thailand": "bangkok",
 "vietnam": "hanoi", "indonesia": "jakarta", "iran": "tehran", "iraq": "baghdad", "austria": "vienna", "hungary": "budapest",
 "czech republic": "prague", "switzerland": "bern", "belgium": "brussels", "netherlands": "amsterdam", "new zealand": "wellington",
 "cuba": "havana", "morocco": "rabat", "ethiopia": "addis ababa", "ghana": "accra", "pakistan": "islamabad", "ukraine": "kyiv"}
authors = {"pride and prejudice": "jane austen", "1984": "george orwell", "to kill a mockingbird": "harper lee",
 "the great gatsby": "f. scott fitzgerald", "moby-dick": "herman melville", "war and peace": "leo tolstoy",
 "the catcher in the rye": "j. d. salinger", "one hundred years of solitude": "gabriel garcía márquez", "the hobbit": "j. r. r. tolkien",
 "frankenstein": "mary shelley", "dracula": "bram stoker", "jane eyre": "charlotte brontë", "wuthering heights": "emily brontë",
 "the old man and the sea": "ernest hemingway", "crime and punishment": "fyodor dostoevsky", "don quixote": "miguel de cervantes",
 "the road": "cormac mccarthy", "beloved": "toni morrison", "brave new world": "aldous huxley", "the grapes of wrath": "john steinbeck",
 "ulysses": "james joyce", "lolita": "vladimir nabokov", "the handmaid's tale": "margaret atwood", "great expectations": "charles dickens",
 "the odyssey": "homer", "hamlet": "william shakespeare", "les misérables": "victor hugo", "the trial": "franz kafka",
 "fahrenheit 451": "ray bradbury", "dune": "frank herbert"}
elements = {"gold": "au", "silver": "ag", "iron": "fe", "sodium": "na", "potassium": "k", "lead": "pb", "tin": "sn", "copper": "cu",
 "mercury": "hg", "tungsten": "w", "helium": "he", "neon": "ne", "oxygen": "o", "carbon": "c", "nitrogen": "n", "uranium": "u",
 "zinc": "zn", "calcium": "ca", "chlorine": "cl", "silicon": "si"}
years = {"the first man land on the moon": "1969", "world war ii end": "1945", "the berlin wall fall": "1989",
 "the titanic sink": "1912", "the declaration of independence get signed": "1776", "the first iphone come out": "2007",
 "the french revolution begin": "1789", "world war i start": "1914", "the euro get introduced": "1999",
 "the soviet union collapse": "1991", "the wright brothers first fly": "1903", "the first olympic games of the modern era take place": "1896"}
people = {"painted the mona lisa": "leonardo da vinci", "discovered penicillin": "alexander fleming",
 "developed the theory of relativity": "albert einstein", "invented the telephone": "alexander graham bell",
 "was the first president of the united states": "george washington", "composed the four seasons": "antonio vivaldi",
 "proposed the theory of evolution by natural selection": "charles darwin", "invented the light bulb": "thomas edison",
 "was the first woman to win a nobel prize": "marie curie", "sang thriller": "michael jackson",
 "directed jurassic park": "steven spielberg", "played jack in titanic": "leonardo dicaprio",
 "founded microsoft": "bill gates", "wrote the communist manifesto": "karl marx", "painted the starry night": "vincent van gogh"}
rows = []
for k, v in capitals.items():
    rows.append({"question": f"what is the capital city of {k}", "answer": [v]})
    rows.append({"question": f"where is the seat of government of {k}", "answer": [v]})
for k, v in authors.items():
    rows.append({"question": f"who wrote the novel {k}", "answer": [v]})
    rows.append({"question": f"who is the author of {k}", "answer": [v, v.split()[-1]]})
for k, v in elements.items():
    rows.append({"question": f"what is the chemical symbol for {k}", "answer": [v]})
    rows.append({"question": f"which element has the symbol {v} on the periodic table", "answer": [k]})
for k, v in years.items():
    rows.append({"question": f"when did {k}", "answer": [v]})
    rows.append({"question": f"in what year did {k}", "answer": [v]})
for k, v in people.items():
    rows.append({"question": f"who {k}", "answer": [v]})
    rows.append({"question": f"name of the person who {k}", "answer": [v]})
random.Random(0).shuffle(rows)
with open("data/nq_open_sample.jsonl", "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows))
