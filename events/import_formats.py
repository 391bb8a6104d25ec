"""The attendance lists platforms export, as downloaded: Zoom webinar and meeting reports, Eventbrite's attendee
report, a Google Forms responses download and Yearbook's own columns.

``options["status"]`` says how a row's status is read (``events.attendance`` holds the readers);
``options["sections"]`` names the section title lines of a sectioned report and the role each section gives."""

from core.imports.formats import ExportFormat, formats
from core.imports.tables import Column, optional
from events.models import ParticipantRole

KIND = "attendance"

# Column keys, shared by every format so that one row reader serves all of them.
NAME = "name"
FIRST_NAME = "first_name"
LAST_NAME = "last_name"
EMAIL = "email"
ORGANISATION = "organisation"
COUNTRY = "country"
COUNTRY_GUESSED = "country_guessed"  # Zoom's country of the connection, used when the person gave none
ROLE = "role"
LISTED = "listed_publicly"
MINUTES = "minutes"
ATTENDED = "attended"
ATTENDEE_STATUS = "attendee_status"
CHECKED_IN = "checked_in"
TIMESTAMP = "timestamp"


ZOOM_WEBINAR = formats.register(
    ExportFormat(
        name="zoom-webinar",
        label="Zoom webinar attendee report (CSV)",
        kind=KIND,
        columns=(
            Column(ATTENDED, ("Attended",)),
            Column(NAME, ("User Name (Original Name)", "User Name")),
            Column(MINUTES, ("Time in Session (minutes)",)),
            optional(FIRST_NAME, "First Name"),
            optional(LAST_NAME, "Last Name"),
            optional(EMAIL, "Email"),
            optional(ORGANISATION, "Organization", "Organisation"),
            # "Country/Region" is the registration question; "Country/Region Name" where Zoom placed the connection.
            optional(COUNTRY, "Country/Region"),
            optional(COUNTRY_GUESSED, "Country/Region Name"),
        ),
        date_formats=("%b %d, %Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"),
        documentation="https://support.zoom.com/hc/en/article?id=zm_kb&sysparm_article=KB0061449",
        options={
            "status": "zoom-webinar",
            "sum_minutes": True,
            # Each section repeats its own header; hosts and panelists are the event's organisers and speakers.
            "sections": {
                "host details": ParticipantRole.ORGANISER,
                "panelist details": ParticipantRole.SPEAKER,
                "attendee details": "",
                "other attended": "",
            },
        },
    )
)

ZOOM_MEETING = formats.register(
    ExportFormat(
        name="zoom-meeting",
        label="Zoom meeting participants report (CSV)",
        kind=KIND,
        columns=(
            Column(NAME, ("Name (Original Name)", "Name (original name)", "Participant")),
            Column(MINUTES, ("Duration (Minutes)", "Duration (minutes)", "Total duration (minutes)")),
            optional(EMAIL, "User Email", "Email"),
        ),
        date_formats=("%m/%d/%Y %I:%M:%S %p",),
        documentation="https://support.zoom.com/hc/en/article?id=zm_kb&sysparm_article=KB0063154",
        options={"status": "attended", "sum_minutes": True},
    )
)

EVENTBRITE = formats.register(
    ExportFormat(
        name="eventbrite",
        label="Eventbrite attendee report (CSV or XLSX)",
        kind=KIND,
        columns=(
            Column("order", ("Order #", "Order no.", "Order Number")),
            Column(FIRST_NAME, ("First Name",)),
            Column(LAST_NAME, ("Last Name",)),
            Column(EMAIL, ("Email",)),
            optional(ATTENDEE_STATUS, "Attendee Status"),
            optional(CHECKED_IN, "Checked In", "Checked In?", "Check-In Status"),
            optional(ORGANISATION, "Company", "Organization", "Organisation"),
            optional(COUNTRY, "Work Country", "Home Country", "Country"),
            optional("ticket_type", "Ticket Type"),
        ),
        date_formats=("%Y-%m-%d %H:%M:%S%z", "%m/%d/%Y %H:%M"),
        documentation="https://www.eventbrite.com/help/en-us/articles/319355/how-to-download-an-attendee-report/",
        options={"status": "eventbrite"},
    )
)

GOOGLE_FORMS = formats.register(
    ExportFormat(
        name="google-forms",
        label="Google Forms responses (CSV, or the ZIP Forms downloads)",
        kind=KIND,
        columns=(
            Column(
                TIMESTAMP,
                ("Timestamp", "Marca temporal", "Horodateur", "Carimbo de data/hora", "Zeitstempel"),
            ),
            optional(
                EMAIL,
                "Email Address",
                "Email",
                "Adresse e-mail",
                "Dirección de correo electrónico",
                "Endereço de e-mail",
                "E-Mail-Adresse",
            ),
            # The questions are the form's own; these are the usual wordings. Other wordings are matched by the
            # words they contain (events.attendance.QUESTION_WORDS).
            optional(
                NAME,
                "Name",
                "Full name",
                "Your name",
                "Nom",
                "Nom complet",
                "Nombre",
                "Nome",
                "Name und Vorname",
            ),
            optional(
                ORGANISATION, "Organisation", "Organization", "Organisme", "Organización", "Organização"
            ),
            optional(COUNTRY, "Country", "Pays", "País", "Land"),
        ),
        date_formats=("%Y/%m/%d %I:%M:%S %p", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S"),
        documentation="https://support.google.com/docs/answer/139706",
        options={"status": "attended", "questions": True},
    )
)

YEARBOOK = formats.register(
    ExportFormat(
        name="yearbook",
        label="Yearbook attendance list (name, email, organisation, country, role, listed_publicly)",
        kind=KIND,
        columns=(
            Column(NAME, ("name",)),
            Column(COUNTRY, ("country",)),
            optional(EMAIL, "email"),
            optional(ORGANISATION, "organisation", "organization"),
            optional(ROLE, "role"),
            optional(LISTED, "listed_publicly"),
            optional(MINUTES, "minutes"),
        ),
        options={"status": "attended", "strict": True},
    )
)
