"""A fictional Serious Case Review draft for the suggestion tests, generated with PyMuPDF.

Every person, place and date here is invented. The draft holds 30 names in the forms a real
review uses: full names, titles ("Mrs P.", "DC Harriet Nkemelu"), initials ("J. P. Mallory"),
possessives ("Tamsin's"), ALL-CAPS headings, a name split across two lines, names in a table,
a name in an annotation, plus a street, a school, a town, a postcode and a date of birth; and the
capitalised words every review has that are not names (agencies, meetings, months, acronyms).

``NAMES_CSV`` lists only some of them; ``EXPECTED`` is every form the list does not cover,
which ``names suggest`` should find.
"""

from __future__ import annotations

import pymupdf

NAMES_CSV = """original,label
Kayden Okafor,Child A
Kayden,Child A
Leanne Okafor,Mother
Darren Whitlock,Partner
Tamsin Fairweather,Health Visitor 1
Gemma Rowntree,Social Worker 1
"""

EXPECTED: dict[str, tuple[str, ...]] = {
    # Forms the names file misses for people it lists.
    "Ms Okafor": ("person",),
    "Mr Whitlock": ("person",),
    "Tamsin": ("person",),
    "Gemma": ("person",),
    # People the names file forgot.
    "Aaliyah Okafor": ("person",),
    "Mrs P.": ("person",),
    "Brandon Hurst": ("person",),
    "BRANDON HURST": ("person",),
    "Imran Chaudhry": ("person",),
    "Dr Imran Chaudhry": ("person",),
    "DC Harriet Nkemelu": ("person",),
    "PC Alan Tidswell": ("person",),
    "J. P. Mallory": ("person",),
    "Dr S. Vasquez": ("person",),
    "Krzysztof Nowak": ("person",),
    "Sophie Hartley-Brown": ("person",),
    "Siobhan O'Donnell": ("person",),
    "Grace Whitlock": ("person",),
    "Marek": ("person",),
    "Keeley Ashworth": ("person",),
    "Rhys Pemberton": ("person",),
    "Olumide Adeyemi": ("person",),
    "Bethany Caldwell": ("person",),
    "Ms Caldwell": ("person",),
    "Callum Fenwick": ("person",),
    "Priya Raghunathan": ("person",),
    # Places and dates.
    "27 Larkspur Close": ("street",),
    "Millfield Primary School": ("school",),
    "Thornbury": ("place", "person"),
    "NN16 8QT": ("postcode",),
    "14 March 2015": ("date of birth",),
}

PAGE_ONE = [
    ("SERIOUS CASE REVIEW: KAYDEN OKAFOR", 14),
    ("STATEMENT OF BRANDON HURST", 12),
]
BODY_ONE = (
    "Kayden Okafor was born on 14 March 2015 and lived with his mother, Leanne Okafor, "
    "and his sister Aaliyah Okafor at 27 Larkspur Close, Thornbury NN16 8QT. The Local "
    "Safeguarding Children Partnership commissioned this review in June 2019 after the "
    "Multi-Agency Safeguarding Hub (MASH) received a referral from the Emergency Department. "
    "Ms Okafor told the GP that her partner, Darren Whitlock, had moved in during January. "
    "Mr Whitlock's mother, Grace Whitlock, often looked after the children. Kayden's nursery "
    "place at Millfield Primary School was arranged by Children's Social Care."
)
BODY_TWO = (
    "On Monday the Health Visitor, Tamsin Fairweather, visited the home. Tamsin's notes "
    "record that a neighbour, Mrs P., had raised concerns with the NHS walk-in centre. "
    "Brandon Hurst, a family friend, later gave a statement to the police. The Initial "
    "Child Protection Conference was chaired by Keeley Ashworth. Gemma Rowntree attended "
    "for Children's Social Care; Gemma had known the family since 2017."
)
SPLIT_LINES = [
    "The paediatric assessment in the Emergency Department was carried out by Dr Imran",
    "Chaudhry, who recorded bruising to the face and arms and referred the case on.",
    "Imran Chaudhry later told the review that the explanation given was not consistent.",
]
BODY_THREE = (
    "The strategy meeting agreed that J. P. Mallory from the Youth Offending Service would "
    "contact Dr S. Vasquez at the surgery. A lodger, Krzysztof Nowak, and his brother Marek "
    "shared the house for some months. Sophie Hartley-Brown, the school nurse, and Siobhan "
    "O'Donnell, a support worker, both noted that Kayden seemed withdrawn. Rhys Pemberton "
    "managed the Early Help team; Olumide Adeyemi worked as the family support worker."
)
TABLE = [
    ("Agency", "Officer"),
    ("Police", "DC Harriet Nkemelu"),
    ("Police", "PC Alan Tidswell"),
    ("Education", "Bethany Caldwell"),
    ("Housing", "Callum Fenwick"),
]
BODY_FOUR = (
    "Ms Caldwell raised attendance concerns in the autumn term. The review panel thanks "
    "Priya Raghunathan, the independent reviewer, and every agency for their cooperation. "
    "Recommendations for the Partnership follow in the next section of this report."
)


def _table(page: pymupdf.Page, top: float) -> float:
    for row, (left, right) in enumerate(TABLE):
        y = top + row * 20
        page.draw_rect(pymupdf.Rect(72, y, 472, y + 20), color=(0, 0, 0), width=0.5)
        page.draw_line((222, y), (222, y + 20), color=(0, 0, 0), width=0.5)
        page.insert_text((76, y + 14), left, fontsize=10, fontname="helv")
        page.insert_text((226, y + 14), right, fontsize=10, fontname="helv")
    return top + len(TABLE) * 20


def build_draft() -> bytes:
    """The draft's bytes: two pages of text, a table and an annotation."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72.0
    for heading, size in PAGE_ONE:
        page.insert_text((72, y), heading, fontsize=size, fontname="hebo")
        y += size * 2
    for body in (BODY_ONE, BODY_TWO):
        box = pymupdf.Rect(72, y, page.rect.width - 72, y + 170)
        page.insert_textbox(box, body, fontsize=11, fontname="tiro")
        y += 170
    for line in SPLIT_LINES:
        page.insert_text((72, y), line, fontsize=10, fontname="tiro")
        y += 13
    annot = page.add_text_annot((500, 80), "Check dates with Keeley Ashworth")
    annot.update()
    second = doc.new_page()
    box = pymupdf.Rect(72, 72, second.rect.width - 72, 260)
    second.insert_textbox(box, BODY_THREE, fontsize=11, fontname="tiro")
    bottom = _table(second, 280)
    box = pymupdf.Rect(72, bottom + 30, second.rect.width - 72, bottom + 200)
    second.insert_textbox(box, BODY_FOUR, fontsize=11, fontname="tiro")
    data: bytes = doc.tobytes()
    doc.close()
    return data
