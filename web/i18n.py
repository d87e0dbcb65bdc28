"""The app's words in Polish (the default) and English; each user picks one.

Every message is a key with its two texts side by side, so neither language can miss one.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("pl", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # Navigation
    "nav.review": ("Przegląd naborów", "Review desk"),
    "nav.indicators": ("Wskaźniki", "Indicators"),
    "nav.sources": ("Źródła", "Sources"),
    "nav.members": ("Członkowie", "Members"),
    "nav.users": ("Użytkownicy", "Users"),
    "nav.my_calls": ("Moje nabory", "My calls"),
    "nav.my_packs": ("Moje pakiety", "My packs"),
    "nav.my_profile": ("Mój profil", "My profile"),
    "nav.my_calendar": ("Kalendarz", "Calendar"),
    "nav.logout": ("Wyloguj", "Log out"),
    # Log-in and passwords
    "login.title": ("Logowanie", "Log in"),
    "login.submit": ("Zaloguj", "Log in"),
    "login.forgot": ("Nie pamiętasz hasła?", "Forgot your password?"),
    "login.failed": ("Nieprawidłowy e-mail lub hasło.", "Wrong e-mail or password."),
    "login.too_many": (
        "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za 15 minut.",
        "Too many failed log-ins. Try again in 15 minutes.",
    ),
    "forgot.title": ("Nowe hasło", "Reset your password"),
    "forgot.intro": (
        "Podaj swój adres e-mail, a wyślemy link do ustawienia nowego hasła.",
        "Give your e-mail address and we will send you a link to set a new password.",
    ),
    "forgot.submit": ("Wyślij link", "Send the link"),
    "forgot.unavailable": (
        "Na tym serwerze nie można ustawić nowego hasła przez e-mail: nie skonfigurowano "
        "publicznego adresu aplikacji (CALLRADAR_BASE_URL), więc link prowadziłby donikąd. "
        "Poproś biuro klastra o nowe zaproszenie.",
        "A new password cannot be set by e-mail on this server: the app's public address "
        "(CALLRADAR_BASE_URL) is not configured, so the link would lead nowhere. Ask the "
        "cluster office for a new invitation.",
    ),
    "forgot.sent": (
        "Jeśli konto o tym adresie istnieje, wysłaliśmy na niego link (ważny godzinę).",
        "If an account with that address exists, a link (valid for an hour) is on its way.",
    ),
    "password.title": ("Ustaw hasło", "Set your password"),
    "password.intro.invite": (
        "Witaj w callradar! Ustaw hasło do konta {email}.",
        "Welcome to callradar! Set the password of the account {email}.",
    ),
    "password.intro.reset": (
        "Ustaw nowe hasło do konta {email}.",
        "Set a new password for {email}.",
    ),
    "password.submit": ("Zapisz hasło", "Save the password"),
    "password.set": ("Hasło zapisane. Zaloguj się.", "Password saved. Please log in."),
    "password.link_invalid": (
        "Ten link jest nieważny, wygasł albo został już użyty.",
        "This link is not valid, has expired, or was already used.",
    ),
    "mail.invite.subject": ("Zaproszenie do callradar", "Your invitation to callradar"),
    "mail.invite.body": (
        "Dzień dobry,\n\nzałożono dla Ciebie konto w callradar ({email}).\n"
        "Ustaw hasło pod adresem (link jest ważny {hours} godz. i działa raz):\n\n{link}\n",
        "Hello,\n\nan account in callradar was made for you ({email}).\n"
        "Set your password here (the link works once and for {hours} hours):\n\n{link}\n",
    ),
    "mail.reset.subject": ("Nowe hasło do callradar", "Your callradar password"),
    "mail.reset.body": (
        "Dzień dobry,\n\nktoś (zapewne Ty) poprosił o nowe hasło do konta {email}.\n"
        "Ustaw je pod adresem (link jest ważny {hours} godz. i działa raz):\n\n{link}\n\n"
        "Jeśli to nie Ty, zignoruj tę wiadomość.\n",
        "Hello,\n\nsomeone (probably you) asked for a new password for {email}.\n"
        "Set it here (the link works once and for {hours} hour(s)):\n\n{link}\n\n"
        "If it was not you, ignore this message.\n",
    ),
    # Errors
    "error.home": ("Strona główna", "Home page"),
    "error.csrf": (
        "Formularz wygasł. Wróć, odśwież stronę i spróbuj ponownie.",
        "The form expired. Go back, reload the page and try again.",
    ),
    "error.http_400": ("Nieprawidłowe żądanie.", "Bad request."),
    "error.http_403": ("Brak dostępu.", "You have no access to this page."),
    "error.http_404": ("Nie ma takiej strony.", "No such page."),
    "error.http_405": ("Niedozwolona metoda.", "Method not allowed."),
    "error.http_429": ("Zbyt wiele żądań.", "Too many requests."),
    "error.email_invalid": (
        "{email} nie jest poprawnym adresem e-mail.",
        "{email} is not a valid e-mail address.",
    ),
    "error.role_invalid": ("Nieznana rola {role}.", "Unknown role {role}."),
    "error.member_required": (
        "Użytkownik członka musi mieć wskazanego członka klastra.",
        "A member's user needs the member it belongs to.",
    ),
    "error.member_unknown": ("Nie ma członka {member}.", "There is no member {member}."),
    "error.user_exists": ("Użytkownik {email} już istnieje.", "The user {email} already exists."),
    "error.password_short": (
        "Hasło musi mieć co najmniej {n} znaków.",
        "The password needs at least {n} characters.",
    ),
    "error.password_mismatch": ("Hasła się różnią.", "The passwords differ."),
    # Fields
    "field.email": ("E-mail", "E-mail"),
    "field.password": ("Hasło", "Password"),
    "field.new_password": ("Nowe hasło", "New password"),
    "field.confirm_password": ("Powtórz hasło", "Repeat the password"),
    "field.title": ("Tytuł", "Title"),
    "field.source": ("Źródło", "Source"),
    "field.programme": ("Program", "Programme"),
    "field.area": ("Obszar", "Area"),
    "field.areas": ("Obszary", "Areas"),
    "field.call_status": ("Stan naboru", "Call status"),
    "field.next_deadline": ("Najbliższy termin", "Next deadline"),
    "field.deadlines": ("Terminy", "Deadlines"),
    "field.opening_date": ("Otwarcie", "Opens"),
    "field.first_seen": ("Znaleziony", "Found"),
    "field.score": ("Wynik", "Score"),
    "field.origin": ("Skąd", "From"),
    "field.member": ("Członek", "Member"),
    "field.reasons": ("Dlaczego", "Why"),
    "field.feedback": ("Opinia", "Feedback"),
    "field.kind": ("Rodzaj", "Kind"),
    "field.city": ("Miasto", "City"),
    "field.competences": ("Kompetencje", "Competences"),
    "field.keywords": ("Słowa kluczowe", "Keywords"),
    "field.trl": ("Poziomy gotowości (TRL)", "Readiness levels (TRL)"),
    "field.mentor": ("Mentor", "Mentor"),
    "field.contacts": ("Kontakty", "Contacts"),
    "field.description": ("Opis", "Description"),
    "field.name": ("Imię i nazwisko", "Name"),
    "field.language": ("Język", "Language"),
    "field.role": ("Rola", "Role"),
    "filter.any": ("dowolny", "any"),
    "filter.apply": ("Filtruj", "Filter"),
    # Review desk and calls
    "review.title": ("Przegląd naborów", "Review desk"),
    "review.search": ("Szukaj", "Search"),
    "review.review_status": ("Przegląd", "Review"),
    "review.status.pending": ("do przeglądu", "awaiting review"),
    "review.status.confirmed": ("potwierdzony", "confirmed"),
    "review.status.dismissed": ("odrzucony", "dismissed"),
    "review.status.all": ("wszystkie", "all"),
    "review.deadline_within": ("Termin w ciągu", "Deadline within"),
    "review.days": ("{n} dni", "{n} days"),
    "review.sort": ("Kolejność", "Order"),
    "review.sort.deadline": ("najbliższy termin", "nearest deadline"),
    "review.sort.newest": ("najnowsze", "newest"),
    "review.count": ("Naborów: {n}", "Calls: {n}"),
    "review.count_cut": (
        "Naborów: {n}; widać pierwsze {shown} — zawęź filtry, by zobaczyć resztę.",
        "Calls: {n}; the first {shown} are shown — narrow the filters to see the others.",
    ),
    "review.also_listed": ("Ten sam nabór w źródle:", "The same call listed by"),
    "review.empty": (
        "Brak oznaczonych naborów dla tych filtrów.",
        "No flagged calls for these filters.",
    ),
    "review.decide": ("Decyzja", "Decision"),
    "review.note": ("Uwagi (opcjonalnie)", "Note (optional)"),
    "review.confirm": ("Potwierdź nabór", "Confirm the call"),
    "review.dismiss_reason": ("Powód odrzucenia", "Reason for dismissing"),
    "review.dismiss": ("Odrzuć", "Dismiss"),
    "review.correct_areas": ("Popraw obszary", "Correct the areas"),
    "review.save_areas": ("Zapisz obszary", "Save the areas"),
    "review.confirmed": (
        "Nabór potwierdzony; dopasowani członkowie zostaną powiadomieni.",
        "Call confirmed; the matched members will be told.",
    ),
    "review.dismissed": ("Nabór odrzucony.", "Call dismissed."),
    "review.reason_required": ("Podaj powód odrzucenia.", "Give the reason for dismissing."),
    "review.areas_saved": (
        "Obszary zapisane; ponowne tagowanie ich nie zmieni.",
        "Areas saved; re-tagging will not change them.",
    ),
    "consortium.title": ("Konsorcjum i pakiet wniosku", "Consortium and proposal pack"),
    "consortium.build": ("Zbuduj konsorcjum", "Build the consortium"),
    "consortium.suggested": ("Propozycja wstępnie zaznaczona.", "The suggestion is preselected."),
    "consortium.mentor_auto": ("dobierz automatycznie", "choose automatically"),
    "consortium.build_and_pack": (
        "Zbuduj konsorcjum i wygeneruj pakiet",
        "Build the consortium and generate the pack",
    ),
    "consortium.new_pack": ("Wygeneruj nową wersję pakietu", "Generate a new pack version"),
    "consortium.status": ("Stan wniosku", "Proposal status"),
    "consortium.save_status": ("Zapisz stan", "Save the status"),
    "consortium.confirm_first": (
        "Najpierw potwierdź nabór, potem zbuduj konsorcjum.",
        "Confirm the call first, then build its consortium.",
    ),
    "consortium.failed": ("Nie wygenerowano pakietu: {reason}", "No pack was generated: {reason}"),
    "consortium.pack_ready": (
        "Pakiet gotowy (wersja {version}).",
        "The pack is ready (version {version}).",
    ),
    "consortium.status_saved": ("Stan wniosku zapisany.", "Proposal status saved."),
    "consortium.suggested_member": ("Dlaczego proponujemy", "Why we suggest"),
    "consortium.change": ("Zmień konsorcjum", "Change the consortium"),
    "consortium.which": ("Konsorcjum", "Consortium"),
    "consortium.existing": (
        "#{id}: lider {lead}, {status}, wersji pakietu: {packs}",
        "#{id}: lead {lead}, {status}, {packs} pack version(s)",
    ),
    "consortium.new": ("nowe konsorcjum", "a new consortium"),
    "consortium.change_hint": (
        "Zmiana konsorcjum tworzy nową wersję jego pakietu; poprzednie wersje zostają do "
        "pobrania. Wstępnie zaznaczono obecny skład konsorcjum.",
        "Changing a consortium makes a new version of its pack; the earlier versions stay "
        "available. The consortium's present members are preselected.",
    ),
    "my_calls.not_relevant": ("Nieistotny", "Not relevant"),
    "my_calls.marked": (
        "Zapisano: ten nabór nie będzie już wysyłany Twojej organizacji.",
        "Noted: this call will not be sent to your organisation again.",
    ),
    "feedback.not_relevant.title": ("Nieistotny nabór", "Not a relevant call"),
    "feedback.not_relevant.ask": (
        "Oznaczyć ten nabór jako nieistotny dla Twojej organizacji? "
        "Nie dostaniecie już o nim wiadomości.",
        "Mark this call as not relevant to your organisation? "
        "You will get no more messages about it.",
    ),
    "feedback.not_relevant.submit": ("Tak, nieistotny", "Yes, not relevant"),
    "feedback.not_relevant.done": ("Dziękujemy, zapisano.", "Thank you, noted."),
    "feedback.unsubscribe.title": ("Rezygnacja z wiadomości", "Stop these messages"),
    "feedback.unsubscribe.ask": (
        "Nie wysyłać już żadnych wiadomości na ten adres?",
        "Send no more messages to this address?",
    ),
    "feedback.unsubscribe.submit": ("Tak, nie wysyłajcie", "Yes, stop them"),
    "feedback.unsubscribe.done": (
        "Gotowe: nie wyślemy już wiadomości na ten adres.",
        "Done: no more messages will go to this address.",
    ),
    "call.status.open": ("otwarty", "open"),
    "call.status.forthcoming": ("zapowiedziany", "forthcoming"),
    "call.status.closed": ("zamknięty", "closed"),
    "call.source_page": ("Strona naboru ↗", "Call page ↗"),
    "call.areas": ("Obszary technologiczne", "Technology areas"),
    "call.evidence": ("Dowody w tekście", "Evidence in the text"),
    "call.no_areas": (
        "Nabór nie dotyczy żadnego obszaru klastra.",
        "The call concerns none of the cluster's areas.",
    ),
    "call.text": ("Treść naboru", "The call's text"),
    "call.matches": ("Dopasowani członkowie", "Matched members"),
    "call.no_matches": ("Brak dopasowań.", "No matches."),
    "call.versions": ("Wersje", "Versions"),
    "call.first_version": ("pierwsza wersja", "first version"),
    # A call's fields as its versions name them (callradar.calls.VERSIONED_FIELDS).
    "version.field.title": ("Tytuł", "Title"),
    "version.field.description": ("Treść", "Text"),
    "version.field.url": ("Adres strony", "Web address"),
    "version.field.programme": ("Program", "Programme"),
    "version.field.call_identifier": ("Identyfikator naboru", "Call identifier"),
    "version.field.type_of_action": ("Typ działania", "Type of action"),
    "version.field.status": ("Stan naboru", "Call status"),
    "version.field.deadlines": ("Terminy", "Deadlines"),
    "version.field.opening_date": ("Otwarcie", "Opens"),
    "version.field.budget": ("Budżet", "Budget"),
    "version.field.currency": ("Waluta", "Currency"),
    "call.text_changed": ("zmieniona treść", "text changed"),
    "origin.tagger": ("automat", "tagger"),
    "origin.coordinator": ("koordynator", "coordinator"),
    "feedback.not-relevant": ("nieistotny", "not relevant"),
    # Consortia and packs
    "consortium.lead": ("Lider", "Lead"),
    "consortium.partners": ("Partnerzy", "Partners"),
    "consortium.mentor": ("Mentor", "Mentor"),
    "consortium.status.forming": ("w tworzeniu", "forming"),
    "consortium.status.submitted": ("wniosek złożony", "submitted"),
    "consortium.status.funded": ("dofinansowany", "funded"),
    "consortium.status.rejected": ("odrzucony", "rejected"),
    "consortium.status.withdrawn": ("wycofany", "withdrawn"),
    "packs.title": ("Moje pakiety wniosków", "My proposal packs"),
    "packs.download": ("Pobierz pakiet, wersja {version}", "Download the pack, version {version}"),
    "packs.none_yet": ("Pakiet nie jest jeszcze gotowy.", "No pack has been generated yet."),
    "packs.empty": (
        "Twoja organizacja nie należy jeszcze do żadnego konsorcjum.",
        "Your organisation is in no consortium yet.",
    ),
    # Indicators
    "ind.title": ("Wskaźniki klastra", "Cluster indicators"),
    "ind.consortia": ("Nowe konsorcja B+R", "New R&D consortia"),
    "ind.proposals": ("Złożone wnioski i ich wyniki", "Proposals submitted and their results"),
    "ind.proposals_note": (
        "Według roku utworzenia konsorcjum.",
        "By the year the consortium was formed.",
    ),
    "ind.submitted": ("złożone", "submitted"),
    "ind.funded": ("dofinansowane", "funded"),
    "ind.rejected": ("odrzucone", "rejected"),
    "ind.awaiting": ("czekają na wynik", "awaiting a result"),
    "ind.new_members": ("Nowi członkowie", "New members"),
    "ind.calls_found": ("Znalezione nabory", "Calls found"),
    "ind.members_notified": ("Powiadomieni członkowie", "Members notified"),
    "ind.goal": ("cel: {n}", "goal: {n}"),
    "ind.goal_per_year": ("Cel: co najmniej {n} rocznie.", "Goal: at least {n} a year."),
    "ind.per_month": ("Miesięcznie, ostatnie 12 miesięcy.", "Per month, the last 12 months."),
    "ind.year": ("Rok", "Year"),
    # Sources
    "sources.title": ("Źródła naborów", "Sources of calls"),
    "sources.last_run": ("Ostatnie pobranie", "Last run"),
    "sources.result": ("Wynik", "Result"),
    "sources.ok": ("poprawnie", "ok"),
    "sources.failed": ("błąd", "failed"),
    "sources.seen": ("Pozycje", "Items"),
    "sources.new": ("Nowe", "New"),
    "sources.changed": ("Zmienione", "Changed"),
    "sources.errors": ("Błędy", "Errors"),
    "sources.fields": ("Pola z wartością", "Fields present"),
    "sources.items": ("{n} pozycji", "{n} items"),
    "sources.calls": ("Naborów", "Calls"),
    "sources.never": ("jeszcze nie pobierano", "never run yet"),
    # Members and users
    "members.title": ("Mapa kompetencji", "Competence map"),
    "members.keyword": ("Słowo kluczowe", "Keyword"),
    "members.count": ("Członków: {n}", "Members: {n}"),
    "members.export_xlsx": ("Eksport XLSX", "Export XLSX"),
    "members.export_yaml": ("Eksport YAML", "Export YAML"),
    "members.import": ("Importuj plik", "Import a file"),
    "members.import_refused": (
        "Plik odrzucony w całości, nic nie zaimportowano:",
        "The file was refused whole; nothing was imported:",
    ),
    "members.import_bad_file": (
        "{name}: wybierz niepusty plik .yaml, .yml lub .xlsx (do 5 MB).",
        "{name}: choose a non-empty .yaml, .yml or .xlsx file (up to 5 MB).",
    ),
    "members.imported": (
        "Zaimportowano {name}: nowych {created}, zaktualizowanych {updated}.",
        "Imported {name}: {created} new, {updated} updated.",
    ),
    "kind.sme": ("MŚP", "SME"),
    "kind.large": ("duże przedsiębiorstwo", "large company"),
    "kind.research": ("instytut badawczy", "research institute"),
    "kind.university": ("uczelnia", "university"),
    "kind.other": ("inny", "other"),
    "users.title": ("Użytkownicy", "Users"),
    "users.invite": ("Zaproś użytkownika", "Invite a user"),
    "users.send_invitation": ("Wyślij zaproszenie", "Send the invitation"),
    "users.invited": (
        "Zaproszenie dla {email} wysłano ({where}).",
        "The invitation to {email} was sent ({where}).",
    ),
    "users.mail_failed": (
        "Nie udało się wysłać e-maila do {email}: {error}",
        "The e-mail to {email} could not be sent: {error}",
    ),
    "users.link_sent": (
        "Link dla {email} wysłano ({where}).",
        "The link for {email} was sent ({where}).",
    ),
    "users.link_loopback": (
        "Nie wysłano linku do {email}: prowadziłby na adres 127.0.0.1 tego serwera, bo nie "
        "ustawiono publicznego adresu aplikacji (CALLRADAR_BASE_URL). Ustaw go i wyślij "
        "ponownie.",
        "No link was sent to {email}: it would point to 127.0.0.1, this server itself, as "
        "the app's public address (CALLRADAR_BASE_URL) is not set. Set it and send again.",
    ),
    "users.not_yourself": (
        "Nie możesz wyłączyć własnego konta.",
        "You cannot deactivate your own account.",
    ),
    "users.inactive_no_link": (
        "Konto {email} jest wyłączone: włącz je, zanim wyślesz link.",
        "The account {email} is deactivated: activate it before sending a link.",
    ),
    "users.state": ("Stan", "State"),
    "users.active": ("aktywny", "active"),
    "users.inactive": ("wyłączony", "deactivated"),
    "users.invited_state": ("zaproszony", "invited"),
    "users.last_login": ("Ostatnie logowanie", "Last log-in"),
    "users.resend": ("Wyślij ponownie", "Send again"),
    "users.send_reset": ("Link do nowego hasła", "Password link"),
    "users.deactivate": ("Wyłącz", "Deactivate"),
    "users.activate": ("Włącz", "Activate"),
    "role.coordinator": ("koordynator", "coordinator"),
    "role.member": ("członek", "member"),
    # Member portal
    "my_calls.title": ("Moje nabory", "My calls"),
    "my_calls.why": ("Dlaczego pasuje", "Why it fits"),
    "my_calls.empty": (
        "Nie ma jeszcze naborów dopasowanych do Twojej organizacji.",
        "No calls match your organisation yet.",
    ),
    "my_calls.calendar": ("Terminy w Twoim kalendarzu", "Deadlines in your calendar"),
    "calendar.title": ("Kalendarz terminów", "Deadline calendar"),
    "calendar.intro": (
        "Dodaj ten adres do swojego kalendarza (Outlook, Google, Thunderbird) jako "
        "subskrypcję: pokaże terminy naborów dopasowanych do Twojej organizacji.",
        "Add this address to your calendar (Outlook, Google, Thunderbird) as a subscription: "
        "it shows the deadlines of the calls matched to your organisation.",
    ),
    "calendar.private": (
        "Adres jest prywatny: kto go zna, widzi Twoje nabory. Jeśli wyciekł, wygeneruj nowy.",
        "The address is private: whoever has it sees your calls. If it leaked, make a new one.",
    ),
    "calendar.renew": ("Nowy adres", "Make a new address"),
    "calendar.no_public_address": (
        "Adresu kalendarza nie można podać: nie ustawiono publicznego adresu aplikacji "
        "(CALLRADAR_BASE_URL), a ten, pod którym działa, jest osiągalny tylko z serwera. "
        "Poproś biuro klastra o jego ustawienie.",
        "The calendar's address cannot be given: the app's public address "
        "(CALLRADAR_BASE_URL) is not set, and the one it runs at is reachable only from the "
        "server. Ask the cluster office to set it.",
    ),
    "calendar.renewed": (
        "Nowy adres gotowy; poprzedni już nie działa.",
        "A new address is ready; the old one no longer works.",
    ),
    "profile.title": ("Mój profil", "My profile"),
    "profile.intro": (
        "Aktualny profil pozwala dopasować właściwe nabory: obszary, słowa kluczowe, "
        "poziomy gotowości i kontakty.",
        "A current profile gets you the right calls: areas, keywords, readiness levels "
        "and contacts.",
    ),
    "profile.levels": (
        "Poziom: 1 – znamy temat, 2 – mamy doświadczenie, 3 – to nasza główna działalność.",
        "Level: 1 – we know the field, 2 – we have experience, 3 – it is our core business.",
    ),
    "profile.whole_domain": ("cała dziedzina", "the whole domain"),
    "profile.keywords_hint": ("jedno słowo lub fraza w wierszu", "one word or phrase a line"),
    "profile.trl_from": ("od", "from"),
    "profile.trl_to": ("do", "to"),
    "profile.channels": ("Kanały", "Channels"),
    "profile.channels_hint": (
        "Kanały: „email” i/lub adresy webhooków czatu (np. slack://…, workflows://… dla "
        "Microsoft Teams, mmosts://…), oddzielone spacją.",
        'Channels: "email" and/or chat webhook URLs (e.g. slack://…, workflows://… for '
        "Microsoft Teams, mmosts://…), separated by spaces.",
    ),
    "profile.how_often": ("Jak często", "How often"),
    "profile.remove": ("Usuń", "Remove"),
    "profile.save": ("Zapisz profil", "Save the profile"),
    "profile.saved": ("Profil zapisany.", "Profile saved."),
    "profile.refused": ("Nie zapisano, popraw:", "Not saved; please correct:"),
    "digest.immediate": ("od razu", "at once"),
    "digest.daily": ("codziennie", "daily"),
    "digest.weekly": ("co tydzień", "weekly"),
}


def translate(lang: str, key: str, **params: Any) -> str:
    """The message in ``lang``; an unknown key shows as itself (tests make sure none is)."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts[0] if lang == "pl" else texts[1]
    return text.format(**params) if params else text


class Translator:
    """``_`` in the templates: the user's language bound in."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: Any) -> str:
        return translate(self.lang, key, **params)
