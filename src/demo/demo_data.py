"""The demo data set: people of a realistic internship, with Russian names."""

DEMO_PASSWORD = "demo-stazhirovka-2026"  # noqa: S105 - printed for local demo logins

# (username, full name, e-mail local part)
ORGANISER = ("organizer", "Ольга Сергеевна Миронова")

MENTORS = [
    ("a.smirnov", "Алексей Смирнов"),
    ("e.kuznetsova", "Екатерина Кузнецова"),
    ("d.volkov", "Дмитрий Волков"),
]

INTERNS = [
    ("i.petrov", "Иван Петров"),
    ("m.sokolova", "Мария Соколова"),
    ("a.popov", "Артём Попов"),
    ("s.lebedeva", "София Лебедева"),
    ("n.kozlov", "Никита Козлов"),
    ("a.novikova", "Анна Новикова"),
    ("m.morozov", "Максим Морозов"),
    ("v.pavlova", "Виктория Павлова"),
    ("k.fedorov", "Кирилл Фёдоров"),
    ("p.egorova", "Полина Егорова"),
    ("d.vasiliev", "Даниил Васильев"),
    ("a.orlova", "Алина Орлова"),
    ("e.makarov", "Егор Макаров"),
    ("k.nikitina", "Ксения Никитина"),
    ("r.zaitsev", "Роман Зайцев"),
    ("d.solovieva", "Дарья Соловьёва"),
    ("t.belov", "Тимур Белов"),
    ("u.komarova", "Ульяна Комарова"),
    ("g.medvedev", "Глеб Медведев"),
    ("v.guseva", "Вероника Гусева"),
    ("l.titov", "Лев Титов"),
    ("e.kiseleva", "Елизавета Киселёва"),
    ("f.bogdanov", "Фёдор Богданов"),
    ("y.romanova", "Юлия Романова"),
]

EMAIL_DOMAIN = "demo.example.com"

OBSERVER = ("n.orlova", "Наталья Орлова")

INTERNSHIP_NAME = "Весенняя стажировка 2026"
INTERNSHIP_DESCRIPTION = (
    "Двенадцатинедельная программа для молодых специалистов: командная разработка "
    "учебных продуктов с наставниками, еженедельные ревью и итоговая защита проектов."
)

# (team name, mentor username, project name, project goal)
TEAMS = [
    (
        "Атлас",
        "a.smirnov",
        "Чат-бот техподдержки",
        "Бот отвечает на типовые вопросы сотрудников и передаёт сложные обращения в службу.",
    ),
    (
        "Вектор",
        "e.kuznetsova",
        "Учёт посещаемости",
        "Мобильное приложение для отметки присутствия на занятиях по QR-коду.",
    ),
    (
        "Гранит",
        "d.volkov",
        "Бронирование переговорных",
        "Веб-сервис бронирования переговорных комнат с календарём и напоминаниями.",
    ),
    (
        "Дельта",
        "a.smirnov",
        "Дашборд продаж",
        "Панель с ключевыми метриками продаж, обновляемая каждый час.",
    ),
]
