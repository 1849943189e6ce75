"""The PEMAT-P items for print (AHRQ Pub. 14-0002-EF): their numbers, wording, and how each is judged here.

Print uses 17 understandability items (1-19 without 13 and 14, which are for
audiovisual material only) and 7 actionability items (20-26). An item is
"judged by the program" when the document and its layout hold what decides
it (words, headings, lists, tables, pictures, counts), and "asked of staff"
when only a person can tell (whether the purpose is evident, whether a
picture helps). Items judged from words need the language's words; in a
language without them they are asked of staff too.
"""

from __future__ import annotations

from dataclasses import dataclass

PROGRAM, STAFF = "judged by the program", "asked of staff"
UNDERSTANDABILITY, ACTIONABILITY = "understandability", "actionability"
PASS_PERCENT = 70.0  # PEMAT: 70% or more is understandable (or actionable)


@dataclass(frozen=True)
class Item:
    """One PEMAT-P item: its number and wording, how it is judged and why, and the usual fix."""

    number: int
    part: str
    wording: str
    how: str
    why: str
    fix: str
    # Judged from the language's words: asked of staff in a language without them.
    needs_words: bool = False


ITEMS: tuple[Item, ...] = (
    Item(1, UNDERSTANDABILITY, "The material makes its purpose completely evident.", STAFF,
         "Whether a reader sees at once what the handout is for is a reading of the whole; no count decides it.",
         "Say in the first lines who the handout is for and what it will help them do."),
    Item(2, UNDERSTANDABILITY, "The material does not include information or content that distracts from its "
         "purpose.", STAFF,
         "What distracts depends on the purpose, which only a person can weigh.",
         "Take out what the reader does not need in order to understand or act."),
    Item(3, UNDERSTANDABILITY, "The material uses common, everyday language.", PROGRAM,
         "Words with an everyday equivalent are found by the plain-words list of the language (with PEMAT's "
         "pairs physician/doctor, utilize/use) and the clinic's own list, and counted per 100 words.",
         "Use the everyday word the evidence names.", needs_words=True),
    Item(4, UNDERSTANDABILITY, "Medical terms are used only to familiarize audience with the terms. When used, "
         "medical terms are defined.", PROGRAM,
         "Abbreviations and words with medical endings (-itis, -osis, -ectomy...) are found; one counts as "
         "defined when the glossary gives its meaning (the page shows it at first use) or the sentence "
         "explains it (brackets, “means”, “is a”).",
         "Define each term named in plain words where it first appears, or add it to source/glossary.yml.",
         needs_words=True),
    Item(5, UNDERSTANDABILITY, "The material uses the active voice.", PROGRAM,
         "Passive sentences (a form of “be” and a past participle) are counted; more than 1 in 10 sentences "
         "is a Disagree.",
         "Say who does what: “Your doctor will check your blood pressure”, not “Blood pressure is checked”.",
         needs_words=True),
    Item(6, UNDERSTANDABILITY, "Numbers appearing in the material are clear and easy to understand.", PROGRAM,
         "Percentages without a count beside them (“2 in 10”), decimals and fractions are found; N/A when "
         "the text has no figures.",
         "Write “2 in 10 people” rather than “20%”, and whole numbers rather than decimals or fractions.",
         needs_words=True),
    Item(7, UNDERSTANDABILITY, "The material does not expect the user to perform calculations.", PROGRAM,
         "Words that ask for arithmetic (calculate, multiply, per kilogram, mg/kg...) are found.",
         "Give the result instead of the sum: the dose in mg, the date, the count.", needs_words=True),
    Item(8, UNDERSTANDABILITY, "The material breaks or \"chunks\" information into short sections.", PROGRAM,
         "Words per section and per paragraph are counted (at most 250 and 80); N/A when the material is "
         "two paragraphs or fewer, as PEMAT says.",
         "Split the long section under a heading of its own, or shorten the long paragraph."),
    Item(9, UNDERSTANDABILITY, "The material's sections have informative headers.", PROGRAM,
         "Headings are read: none at all, or one such as “Introduction” or “Other”, is a Disagree; N/A when "
         "the material is two paragraphs or fewer.",
         "Give each section a heading that says what it tells, such as “How to take it”."),
    Item(10, UNDERSTANDABILITY, "The material presents information in a logical sequence.", STAFF,
         "The right order depends on the subject and the reader; a program cannot tell it.",
         "Put the main message first, then what to do, then the details."),
    Item(11, UNDERSTANDABILITY, "The material provides a summary.", PROGRAM,
         "A key points box, or a section headed “Summary” or “Key points” (in the language), is found; N/A "
         "when the material is two paragraphs or fewer.",
         "Add key points: a short list under the main message (it becomes the “Key points” box)."),
    Item(12, UNDERSTANDABILITY, "The material uses visual cues (e.g., arrows, boxes, bullets, bold, larger font, "
         "highlighting) to draw attention to key points.", PROGRAM,
         "Lists, bold text, the key points box and boxed quotes are counted.",
         "Put the key points in a list, or in bold."),
    Item(15, UNDERSTANDABILITY, "The material uses visual aids whenever they could make content more easily "
         "understood (e.g., illustration of healthy portion size).", STAFF,
         "Where a picture would help is a judgment about the content.",
         "Add a picture or diagram where words alone are hard to follow."),
    Item(16, UNDERSTANDABILITY, "The material's visual aids reinforce rather than distract from the content.",
         STAFF, "Only a person can see whether a picture helps; N/A is given by the program when there are no "
         "pictures.", "Take out pictures that only decorate, or choose ones that show the point."),
    Item(17, UNDERSTANDABILITY, "The material's visual aids have clear titles or captions.", PROGRAM,
         "Each picture that is not decorative is checked for a caption; N/A when there are none.",
         "Give each picture a caption that says what it shows."),
    Item(18, UNDERSTANDABILITY, "The material uses illustrations and photographs that are clear and uncluttered.",
         STAFF, "Clutter is seen, not counted; N/A is given by the program when there are no pictures.",
         "Use a simple, sharp picture with one subject."),
    Item(19, UNDERSTANDABILITY, "The material uses simple tables with short and clear row and column headings.",
         PROGRAM, "Each table is checked for a header row of short headings (6 words or fewer) and at most 5 "
         "columns; N/A when there are no tables.",
         "Give the table a header row with short headings, or split it."),
    Item(20, ACTIONABILITY, "The material clearly identifies at least one action the user can take.", PROGRAM,
         "Sentences that tell the reader to do something (an imperative such as “Ask”, “Take”, “Call”, or "
         "“you can”, “you should”) are found.",
         "Say at least one thing the reader can do, as an instruction: “Ask your doctor about...”.",
         needs_words=True),
    Item(21, ACTIONABILITY, "The material addresses the user directly when describing actions.", PROGRAM,
         "Actions addressed to the reader (imperative, “you”) are weighed against those about others "
         "(“patients should”).",
         "Speak to the reader: “Take your pill”, not “Patients should take their pill”.", needs_words=True),
    Item(22, ACTIONABILITY, "The material breaks down any action into manageable, explicit steps.", PROGRAM,
         "A list whose items are actions counts as steps; several actions run together in one paragraph "
         "are a Disagree.",
         "Put the actions in a numbered list, one step per item.", needs_words=True),
    Item(23, ACTIONABILITY, "The material provides a tangible tool (e.g., menu planners, checklists) whenever it "
         "could help the user take action.", PROGRAM,
         "A checklist (items with ☐ or [ ]), or a section headed as a checklist, questions to ask, a log or "
         "a diary, is found.",
         "Add a tool the reader can use: a checklist, or “Questions to ask your doctor” with room to write."),
    Item(24, ACTIONABILITY, "The material provides simple instructions or examples of how to perform "
         "calculations.", PROGRAM,
         "N/A when no calculation is asked (item 7); otherwise an example (“for example”) must be near it.",
         "Show the sum worked through once, with the reader's numbers as an example.", needs_words=True),
    Item(25, ACTIONABILITY, "The material explains how to use the charts, graphs, tables, or diagrams to take "
         "actions.", STAFF,
         "Whether the words explain a chart is a reading; N/A is given by the program when there are no "
         "tables or pictures.",
         "Say in a sentence how to read the table or chart and what to do with it."),
    Item(26, ACTIONABILITY, "The material uses visual aids whenever they could make it easier to act on the "
         "instructions.", STAFF,
         "Where a picture would help someone act is a judgment about the actions.",
         "Add a picture of the step that is hard to describe (how to hold the inhaler, where to inject)."),
)

BY_NUMBER = {item.number: item for item in ITEMS}
UNDERSTANDABILITY_ITEMS = tuple(i.number for i in ITEMS if i.part == UNDERSTANDABILITY)
ACTIONABILITY_ITEMS = tuple(i.number for i in ITEMS if i.part == ACTIONABILITY)
