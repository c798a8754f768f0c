"""Maps by département drawn on the server (suivi.ui.maps): shapes, colour steps, framing."""

import re

from django.test import SimpleTestCase

from suivi.ui import maps

CENTRE_VAL_DE_LOIRE = {
    "18": "Cher",
    "28": "Eure-et-Loir",
    "36": "Indre",
    "37": "Indre-et-Loire",
    "41": "Loir-et-Cher",
    "45": "Loiret",
}


class ShapeTests(SimpleTestCase):
    def test_every_departement_has_a_shape_and_overseas_ones_their_own_frame(self):
        shapes = maps.shapes()
        self.assertEqual(len(shapes), 101)
        self.assertTrue({"01", "2A", "2B", "36", "95", "971", "976"} <= shapes.keys())
        self.assertEqual(shapes["36"].frame, maps.METRO_FRAME)
        self.assertNotEqual(shapes["971"].frame, maps.METRO_FRAME)
        xmin, ymin, xmax, ymax = shapes["36"].bbox
        # Indre lies west of its neighbour the Cher, in the middle of the country.
        self.assertLess(xmin, shapes["18"].bbox[0])
        self.assertTrue(300 < xmin < xmax < 600 and 300 < ymin < ymax < 600)


class StepTests(SimpleTestCase):
    def test_small_counts_get_a_step_each_and_larger_ones_four_even_classes(self):
        self.assertEqual(maps.steps(0), [])
        self.assertEqual(maps.steps(3), [(1, 1), (2, 2), (3, 3)])
        self.assertEqual(maps.steps(10), [(1, 3), (4, 6), (7, 9), (10, 10)])
        bounds = maps.steps(10)
        self.assertEqual([maps.step_of(n, bounds) for n in (0, 1, 3, 4, 9, 10)], [0, 1, 1, 2, 3, 4])
        # Fewer classes spread over the scale, the largest count always the darkest.
        self.assertEqual([maps.step_of(n, maps.steps(2)) for n in (0, 1, 2)], [0, 2, 4])
        self.assertEqual(maps.step_of(1, maps.steps(1)), 4)

    def test_the_legend_names_each_step_in_french(self):
        drawn = maps.departement_map({"36": 1, "18": 10}, CENTRE_VAL_DE_LOIRE, {})
        self.assertEqual([label for _, label in drawn.legend], ["aucune", "1 à 3", "4 à 6", "7 à 9", "10"])


class FramingTests(SimpleTestCase):
    def links(self, names):
        return {code: f"/territoires/dep-{code}/" for code in names}

    def test_a_region_map_frames_its_departements_and_greys_its_neighbours(self):
        drawn = maps.departement_map(
            {"36": 1},
            CENTRE_VAL_DE_LOIRE,
            self.links(CENTRE_VAL_DE_LOIRE),
            focus=set(CENTRE_VAL_DE_LOIRE),
            current="36",
        )
        _, _, width, height = (float(n) for n in drawn.main.view_box.split())
        self.assertLess(width, 400)
        self.assertEqual(width, height)
        linked = {a.code for a in drawn.main.areas if a.href}
        self.assertEqual(linked, set(CENTRE_VAL_DE_LOIRE))
        context = {a.code for a in drawn.main.areas if not a.href}
        self.assertIn("87", context)  # Haute-Vienne borders the Indre
        self.assertNotIn("2A", context)  # Corsica is far outside the frame
        self.assertTrue(all(a.count is None for a in drawn.main.areas if not a.href))
        current = [a for a in drawn.main.areas if a.current]
        self.assertEqual([(a.code, a.label) for a in current], [("36", "Indre (36) : 1 initiative locale")])
        self.assertEqual(drawn.overseas, [])

    def test_the_national_map_puts_each_overseas_departement_in_a_frame_of_its_own(self):
        names = {code: code for code in maps.shapes()}
        drawn = maps.departement_map({"971": 2}, names, self.links(names))
        self.assertEqual(drawn.main.view_box, maps.METRO_FRAME)
        self.assertEqual(len(drawn.main.areas), 96)
        self.assertEqual([f.areas[0].code for f in drawn.overseas], ["971", "972", "973", "974", "976"])
        self.assertEqual(drawn.overseas[0].areas[0].label, "971 (971) : 2 initiatives locales")

    def test_an_overseas_region_is_drawn_in_its_own_frame(self):
        drawn = maps.departement_map({}, {"974": "La Réunion"}, {}, focus={"974"})
        self.assertEqual(drawn.main.view_box, maps.shapes()["974"].frame)
        self.assertTrue(re.fullmatch(r"0 0 \d+ \d+", drawn.main.view_box))
