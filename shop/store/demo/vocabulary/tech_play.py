"""Vocabulary of the tech and leisure departments: Electronics, Toys, Books."""

from .schema import department, kind, leaf

ELECTRONICS = department(
    "Electronics",
    leaf(
        "Electronics > Headphones",
        kind(
            "Wireless Earbuds", 30, 300,
            materials="recycled plastic, silicone tips",
            features="active noise cancelling, wireless charging case, in-ear detection",
            battery_h=(6, 8, 10),
        ),
        kind(
            "Over-Ear Headphones", 60, 450,
            materials="aluminium, vegan leather, memory foam cushions",
            features="active noise cancelling, foldable design, 3.5 mm cable included",
            battery_h=(30, 40, 60),
        ),
        kind(
            "Open-Ear Sport Headphones", 50, 180,
            materials="titanium band, silicone",
            features="bone-conduction design, IP55 sweat resistance, hears the traffic",
            uses="workouts, city runs",
            audiences="athletes",
            battery_h=(6, 8, 10),
        ),
        features="multipoint Bluetooth, USB-C fast charge",
        uses="commuting, open-plan offices, long flights, focus sessions",
        audiences="adults, students",
        styles="minimalist, premium, sporty",
    ),
    leaf(
        "Electronics > Wearables",
        kind(
            "GPS Running Watch", 150, 700,
            materials="titanium bezel, sapphire glass, fibre-reinforced polymer",
            features="multi-band GPS, offline maps, training-load insights, solar charging",
            uses="marathon training, trail ultras, triathlon",
            audiences="athletes",
            battery_h=(20, 40, 120),
        ),
        kind(
            "Fitness Tracker", 40, 180,
            materials="silicone band, reinforced polymer",
            features="step counting, 7-day battery, slim design",
            uses="everyday health tracking, sleep insights",
        ),
        kind(
            "Smartwatch", 150, 500,
            materials="aluminium case, sapphire glass",
            features="contactless payments, LTE calling, always-on display",
            uses="everyday health tracking, notifications on the go",
            battery_days=(1, 2, 7),
        ),
        features="wrist heart rate, sleep tracking",
        audiences="women, men, unisex",
        styles="sporty, technical, minimalist",
    ),
    leaf(
        "Electronics > Smart home",
        kind(
            "Smart Plug 4-Pack", 15, 50,
            materials="flame-retardant plastic",
            features="energy monitoring, scheduling and scenes",
            uses="energy saving, holiday lighting",
        ),
        kind(
            "Smart Speaker", 40, 250,
            materials="fabric mesh, aluminium",
            features="voice control, multi-room audio, privacy mute switch",
            uses="multi-room audio, kitchen radio",
        ),
        kind(
            "Video Doorbell", 60, 250,
            materials="weatherproof polycarbonate",
            features="two-way audio, night vision, local video storage",
            uses="home security, parcel deliveries",
            resolution="1080p, 2K",
        ),
        kind(
            "Smart Bulb Starter Kit", 25, 120,
            materials="frosted glass, flame-retardant plastic",
            features="16 million colours, scheduling and scenes, dimmable",
            uses="holiday lighting, cosy evenings",
        ),
        features="works with Matter",
        audiences="adults, families",
        styles="minimalist, modern",
    ),
    leaf(
        "Electronics > Power & charging",
        kind(
            "Power Bank", 20, 120,
            materials="aluminium shell",
            features="pass-through charging, LED charge indicator, airline safe",
            uses="travel days, festival weekends, everyday carry",
            capacity_mah=(10000, 20000, 26800),
        ),
        kind(
            "Foldable Solar Charger", 40, 200,
            materials="ETFE solar panels, ripstop canvas",
            features="IP65 rugged build, kickstand, auto-restart",
            uses="camping trips, bikepacking, van life",
            watts=(21, 28, 60),
        ),
        kind(
            "USB-C GaN Charger", 15, 70,
            materials="recycled plastic",
            features="three ports, foldable plug, runs cool",
            uses="travel days, desk setups",
            watts=(30, 65, 100, 140),
        ),
        features="fast charging",
        audiences="adults, travellers",
        styles="technical, rugged, minimalist",
    ),
    leaf(
        "Electronics > Gaming > Controllers",
        kind(
            "Wireless Controller", 40, 200,
            materials="matte ABS, rubberised grips",
            features="Hall-effect sticks, remappable back buttons, trigger stops, 40-hour battery",
            platform="PC, console, cross-platform",
        ),
        kind(
            "Arcade Fight Stick", 80, 250,
            materials="steel case, acrylic top panel",
            features="arcade-grade buttons, swappable lever gate, tournament lock",
            platform="PC, console",
        ),
        uses="competitive shooters, racing games, couch co-op, fighting games",
        audiences="gamers",
        styles="gaming, minimalist, retro",
    ),
    leaf(
        "Electronics > Gaming > Headsets",
        kind(
            "Gaming Headset", 30, 300,
            materials="memory foam, aluminium frame, breathable fabric",
            features="detachable boom mic, 50 mm drivers, on-ear controls, spatial audio",
            connection="wired, wireless",
        ),
        kind(
            "Streaming Microphone", 50, 200,
            materials="steel grille, aluminium body",
            features="noise gate, shock mount, tap-to-mute",
            pattern="cardioid, multi-pattern",
        ),
        features="RGB lighting",
        uses="competitive gaming, streaming, late-night sessions, voice chat",
        audiences="gamers, streamers",
        styles="gaming, minimalist",
    ),
    leaf(
        "Electronics > Gaming > Keyboards & mice",
        kind(
            "Mechanical Keyboard", 50, 250,
            materials="aluminium case, PBT keycaps",
            features="hot-swappable switches, per-key RGB, gasket mount",
            switches="linear, tactile, clicky",
            layout="full-size, TKL, 75%",
        ),
        kind(
            "Gaming Mouse", 20, 150,
            materials="honeycomb shell, PTFE feet",
            features="8K polling rate, onboard memory, wireless 2.4 GHz",
            dpi=(8000, 16000, 26000),
            weight_g=(54, 63, 80),
        ),
        kind(
            "XL Desk Mat", 15, 45,
            materials="stitched cloth, natural rubber",
            features="stitched edges, non-slip base, spill-resistant",
        ),
        uses="esports, MMO raids, programming, streaming setups",
        audiences="gamers, students",
        styles="gaming, minimalist, retro",
    ),
    blurb="Headphones, wearables, smart home and gaming gear.",
    budget="Voltix, Bytewise",
    mid="Sonora, Pixelforge",
    premium="Auralis, Polaris Labs",
    models="Nova, Pulse, Quantum, Vector, Echo, Orbit, Helix, Flux, Strata, Ion",
    editions="-, 2, 3, S, Pro, Max, Mini, X, Ultra",
    colours="black, white, space grey, midnight blue, silver, sage",
    promises=(
        "Two-year warranty and firmware updates for five years.",
        "Ships with a USB-C cable and no single-use plastic.",
        "Rated excellent by our test lab for battery life.",
    ),
)  # fmt: skip

TOYS = department(
    "Toys",
    leaf(
        "Toys > Building sets",
        kind(
            "Building Brick Set", 15, 250,
            materials="ABS plastic, plant-based plastic",
            features="step-by-step instructions, display stand, motorised functions",
            audiences="kids, families",
            pieces=(250, 600, 1200, 2500),
            age="6+, 8+, 10+",
        ),
        kind(
            "Magnetic Tiles Set", 25, 120,
            materials="food-grade plastic",
            features="strong magnets, translucent colours, idea booklet",
            audiences="toddlers, kids",
            pieces=(32, 60, 100),
            age="3+",
        ),
        features="storage box",
        uses="rainy afternoons, STEM learning, family projects",
        styles="creative, educational, colourful",
    ),
    leaf(
        "Toys > Board games",
        kind(
            "Strategy Board Game", 20, 80,
            features="solo mode, legacy campaign, insert organiser",
            uses="game nights, two-player duels",
            players="1-4, 2-5",
            playtime_min=(45, 90, 120),
        ),
        kind(
            "Family Party Game", 12, 40,
            features="quick to learn, fits in a pocket, big-group fun",
            uses="family evenings, holiday gatherings",
            players="3-8, 4-10",
            playtime_min=(15, 30),
        ),
        kind(
            "Cooperative Adventure Game", 30, 90,
            features="cooperative play, campaign mode, solo mode",
            uses="game nights, family evenings",
            players="1-4",
            playtime_min=(60, 90),
        ),
        materials="linen-finish cards, wooden meeples, recycled board",
        features="beautiful illustrations, high replay value",
        audiences="families, adults",
        styles="strategic, playful, cosy",
    ),
    leaf(
        "Toys > Baby & toddler toys",
        kind(
            "Stacking Toy", 10, 35,
            materials="FSC beech wood, water-based paint, food-grade silicone",
            features="rounded edges, Montessori inspired, chunky pieces",
            age="6m+, 12m+",
        ),
        kind(
            "Activity Play Gym", 40, 140,
            materials="organic cotton, FSC beech wood",
            features="sensory textures, machine-washable mat, removable toys",
            age="0m+",
        ),
        kind(
            "Soft Plush Toy", 10, 40,
            materials="organic cotton",
            features="machine washable, embroidered eyes, crinkle ears",
            age="0m+",
        ),
        kind(
            "Wooden Shape Sorter", 12, 35,
            materials="FSC beech wood, water-based paint",
            features="rounded edges, Montessori inspired, chunky shapes",
            age="12m+",
        ),
        features="gift boxed",
        uses="tummy time, first birthdays, nursery play, travel",
        audiences="babies, toddlers",
        styles="Montessori, pastel, natural",
    ),
    leaf(
        "Toys > Outdoor play",
        kind(
            "Balance Bike", 50, 180,
            materials="aluminium frame, birch plywood",
            features="adjustable height, lightweight frame, puncture-proof tyres",
            age="2+, 3+",
        ),
        kind(
            "Kids' Scooter", 40, 150,
            materials="aluminium frame",
            features="lean-to-steer, adjustable height, light-up wheels",
            wheels=(2, 3),
        ),
        kind(
            "Garden Playhouse", 150, 700,
            materials="FSC pine",
            features="weatherproof paint, easy assembly, working door",
        ),
        uses="park trips, garden play, first rides, summer holidays",
        audiences="kids, toddlers",
        styles="colourful, classic, natural",
    ),
    leaf(
        "Toys > Puzzles",
        kind(
            "Jigsaw Puzzle", 10, 40,
            materials="recycled cardboard, linen-finish print",
            features="poster included, snug-fit pieces, artist-designed motif",
            pieces=(500, 1000, 1500, 2000),
        ),
        kind(
            "3D Wooden Puzzle", 20, 70,
            materials="laser-cut plywood",
            features="no glue needed, moving parts, laser-cut pieces",
            pieces=(120, 250, 400),
        ),
        features="gift-ready box",
        uses="quiet evenings, family holidays, mindful breaks, gifts",
        audiences="adults, families",
        styles="artistic, vintage, playful",
    ),
    blurb="Building sets, games, puzzles and outdoor toys for every age.",
    budget="Playbright, Tiny Tinkers",
    mid="Meeple & Co, Brickworks",
    premium="Tinderbox Games, Little Oak",
    models="Castle, Galaxy, Harbour, Safari, Dragon, Rocket, Meadow, Lighthouse, Jungle",
    editions="-, -, -, Junior, Deluxe, Classic, Explorer",
    colours="multicolour, pastel, natural wood, primary colours, rainbow",
    promises=(
        "Safety-tested to EN 71.",
        "Designed by parents and play therapists.",
        "Plastic-free packaging.",
    ),
)  # fmt: skip

BOOK_TITLE = "{model}{edition} ({noun}) – {feature_1}, {feature_2}"
BOOK_OPENER = (
    "{model}{edition}, published by {brand}, {verb} {style} {noun}{audience}, perfect for {use}."
)
BOOK_DETAILS = "Highlights: {features}. Format: {material}."
GENRES = "mystery, literary, sci-fi, fantasy, historical"

BOOKS = department(
    "Books",
    leaf(
        "Books > Fiction",
        kind("Paperback", 8, 18, materials="paperback", genre=GENRES),
        kind("Hardcover", 15, 30, materials="hardcover, cloth-bound hardcover", genre=GENRES),
        features=(
            "book club favourite, international bestseller, award-winning debut, "
            "twisty plot, unforgettable heroine, sweeping family saga"
        ),
        uses="holiday reading, book clubs, cosy evenings, commutes",
        audiences="adults, young adults",
        styles="literary, page-turner, cosy",
        models=(
            "The Salt Road, A Winter in Lisbon, The Lighthouse Keeper's Daughter, "
            "Northern Lights Over Tromsø, The Glass Orchard, Echoes of Andromeda, "
            "The Last Cartographer, Midnight at the Archive, The Cedar House, Ash and Ember"
        ),
    ),
    leaf(
        "Books > Cookbooks",
        kind("Cookbook", 15, 45, cuisine="Italian, Japanese, vegetarian, baking, Middle Eastern"),
        materials="hardcover, lay-flat hardcover, paperback",
        features=(
            "120 recipes, step-by-step photography, weeknight-friendly recipes, "
            "seasonal menus, foreword by a Michelin-starred chef"
        ),
        uses="weeknight dinners, dinner parties, baking weekends, gift giving",
        audiences="home cooks, beginners",
        styles="rustic, modern, family",
        models=(
            "Salt & Smoke, Sourdough Sundays, The Green Table, Weeknight Ramen, "
            "Tuscan Kitchen, Simply Vegetables, Bake Club, One Pan Wonders"
        ),
    ),
    leaf(
        "Books > Outdoor & travel",
        kind(
            "Trail Guide", 12, 30,
            uses="hut-to-hut treks, trail-running adventures",
            audiences="hikers, trail runners",
            region="Alps, Scotland, Dolomites, Pyrenees, Lake District",
        ),
        kind(
            "Travel Guide", 12, 28,
            uses="road trips, city breaks",
            audiences="travellers",
            region="Japan, Portugal, Iceland, Patagonia, Norway",
        ),
        materials="paperback, flexi-cover, waterproof paper",
        features="fold-out maps, GPX downloads, elevation profiles, insider tips, hut listings",
        uses="trip planning",
        styles="practical, inspiring",
        models=(
            "Wild Trails, Ridge Walks, The Hut-to-Hut Handbook, Running Wild, "
            "Off the Beaten Path, Coast to Coast, High Routes"
        ),
    ),
    leaf(
        "Books > Children's books",
        kind(
            "Picture Book", 6, 18,
            materials="hardcover, paperback",
            audiences="toddlers, kids",
            age="3-5, 4-7",
        ),
        kind("Chapter Book", 7, 16, materials="paperback", audiences="kids", age="6-8, 8-12"),
        kind(
            "Board Book", 5, 12,
            materials="board book",
            features="lift-the-flap pages, touch-and-feel pages",
            audiences="babies, toddlers",
            age="0-2",
        ),
        features="rhyming text, bedtime favourite, award-winning illustrations, funny story",
        uses="bedtime stories, first words, early readers, nursery gifts",
        styles="playful, gentle, funny",
        models=(
            "Goodnight Little Fox, The Very Sleepy Otter, Benny Builds a Boat, "
            "Moon and Me, The Dragon Who Couldn't Roar, Pip's Big Adventure"
        ),
    ),
    leaf(
        "Books > Science & technology",
        kind(
            "Popular Science Book", 12, 30,
            features="illustrated diagrams, gripping storytelling",
            topic="physics, biology, climate, space",
        ),
        kind(
            "Programming Book", 25, 60,
            features="hands-on projects, companion code online",
            topic="Python, Rust, web development, machine learning",
        ),
        materials="paperback, hardcover",
        features="clear explanations, updated edition",
        uses="self-study, curious minds, career change, university prep",
        audiences="adults, students",
        styles="accessible, technical",
        models=(
            "The Hidden Universe, Clean Pipelines, Life at the Edge, Thinking in Systems, "
            "Deep Time, The Carbon Question, Patterns of Code"
        ),
    ),
    blurb="Novels, cookbooks, guides and children's books.",
    budget="Pocket Press, Paperlane",
    mid="Harbour Books, Willow & Quill",
    premium="Folio House, Greystone Editions",
    editions="-, -, -, -, Revised Edition, Anniversary Edition, Illustrated Edition",
    colours="multicolour",
    promises=(
        "Signed copies while stocks last.",
        "Printed on FSC-certified paper.",
        "Free bookmark with every order.",
    ),
    title=BOOK_TITLE,
    opener=BOOK_OPENER,
    details=BOOK_DETAILS,
)  # fmt: skip

DEPARTMENTS = (ELECTRONICS, TOYS, BOOKS)
