"""Preview a theme map with the export options, then "Export image…" as PNG, SVG or PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.errors import QualCodeError
from qualcode.domain.levels import Level
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.export_files import FIGURE_FILTER
from qualcode.services.codebook import nodes as node_service
from qualcode.services.themes.maps import MapExport, export_theme_map, map_roots
from qualcode.viz.export import write_figure
from qualcode.viz.theme_map import RenderedMap, render_theme_map
from qualcode.viz.theme_map_data import ColourBy, CountShown, ImageFormat, MapLayout, MapOptions

CONCEPT_MAP = -1


class ThemeMapDialog(QDialog):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or workbench.main_window())
        self.setWindowTitle("Theme map")
        self.workbench = workbench
        self.rendered: RenderedMap | None = None
        self.last_export: MapExport | None = None
        self.file_dialog: QFileDialog | None = None

        self.network = QComboBox()
        self.layout_choice = self._combo((("Thematic network", MapLayout.WEB), ("Tree", MapLayout.TREE)))
        self.counts = self._combo((("Codings", CountShown.CODINGS), ("Participants", CountShown.PARTICIPANTS),
                                   ("No counts", CountShown.NONE)))
        self.colours = self._combo((("By level", ColourBy.LEVEL), ("Theme colours", ColourBy.NODE),
                                    ("Grey, for print", ColourBy.GREY)))
        self.size_by_count = QCheckBox("Busier themes larger")
        self.include_codes = QCheckBox("Show codes")
        self.title = QLineEdit()
        self.title.setPlaceholderText("Optional title above the map")
        self.width = QDoubleSpinBox(minimum=0.0, maximum=40.0, singleStep=0.5, decimals=1, suffix=" in")
        self.width.setSpecialValueText("Natural")
        self.width.setToolTip("Fit the figure to this width (e.g. 7 in for a full page); labels shrink to fit")
        self.font_size = QDoubleSpinBox(minimum=5.0, maximum=24.0, singleStep=0.5, decimals=1, value=8.0,
                                        suffix=" pt")
        self.dpi = QSpinBox(minimum=72, maximum=1200, singleStep=50, value=300, suffix=" dpi")
        self.dpi.setToolTip("Resolution of exported PNG images")
        form = QFormLayout()
        for label, widget in (("Themes", self.network), ("Layout", self.layout_choice), ("Counts", self.counts),
                              ("Colours", self.colours), ("", self.size_by_count), ("", self.include_codes),
                              ("Title", self.title), ("Width", self.width), ("Font size", self.font_size),
                              ("PNG resolution", self.dpi)):
            form.addRow(label, widget)

        self.preview = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, objectName="mapPreview")
        self.preview.setStyleSheet("background: #ffffff;")
        scroll = named(QScrollArea(widgetResizable=True), "Map preview")
        scroll.setWidget(self.preview)
        self.notes = QLabel(wordWrap=True, objectName="panelHint")
        self.export_button = QPushButton("Export image…", objectName="primaryButton")
        self.export_button.clicked.connect(self.choose_file)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notes, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        side = QWidget()
        side.setLayout(form)
        side.setFixedWidth(300)
        top = QHBoxLayout()
        top.addWidget(side)
        top.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        self.resize(1180, 760)

        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.render)
        for signal in (self.network.currentIndexChanged, self.layout_choice.currentIndexChanged,
                       self.counts.currentIndexChanged, self.colours.currentIndexChanged,
                       self.size_by_count.toggled, self.include_codes.toggled, self.title.textChanged,
                       self.width.valueChanged, self.font_size.valueChanged):
            signal.connect(self._timer.start)
        self._load_networks()
        self.render()

    @staticmethod
    def _combo(choices: tuple[tuple[str, Any], ...]) -> QComboBox:
        combo = QComboBox()
        for text, value in choices:
            combo.addItem(text, value)
        return combo

    def _load_networks(self) -> None:
        nodes = self.workbench.read(node_service.list_nodes)
        tops = [n for n in nodes if n.level is Level.GLOBAL]
        for node in tops:
            self.network.addItem(f"{node.name}", node.id)
        self.network.addItem("All themes (concept map)", CONCEPT_MAP)

    def choose_network(self, node_id: int | None) -> None:
        self.network.setCurrentIndex(self.network.findData(CONCEPT_MAP if node_id is None else node_id))

    def root_id(self) -> int | None:
        value = self.network.currentData()
        return None if value in (None, CONCEPT_MAP) else int(value)

    def options(self) -> MapOptions:
        return MapOptions(layout=self.layout_choice.currentData(), counts=self.counts.currentData(),
                          size_by_count=self.size_by_count.isChecked(), colour_by=self.colours.currentData(),
                          title=self.title.text(), font_size=self.font_size.value(),
                          width=self.width.value() or None)

    # -- preview ---------------------------------------------------------------------------------
    def render(self) -> RenderedMap | None:
        self._timer.stop()
        root, codes = self.root_id(), self.include_codes.isChecked()
        try:
            roots = self.workbench.read(lambda s: map_roots(s, root_id=root, include_codes=codes))
            self.rendered = render_theme_map(roots, self.options())
        except QualCodeError as exc:
            self.rendered = None
            self.preview.setPixmap(QPixmap())
            self.preview.setText(str(exc))
            self.notes.setText("")
            self.export_button.setEnabled(False)
            return None
        pixmap = self._pixmap(self.rendered)
        self.preview.setText("")
        self.preview.setPixmap(pixmap)
        size = f"{self.rendered.width:.1f} × {self.rendered.height:.1f} in"
        self.notes.setText(" ".join([size, *self.rendered.warnings]))
        self.export_button.setEnabled(True)
        return self.rendered

    def _pixmap(self, rendered: RenderedMap) -> QPixmap:
        ratio = self.devicePixelRatioF()
        area = self.preview.parentWidget()
        room_w, room_h = (area.width() - 24, area.height() - 24) if area is not None else (800, 600)
        dpi = max(40, min(150, int(min(max(room_w, 300) / rendered.width, max(room_h, 200) / rendered.height))))
        buffer = io.BytesIO()
        write_figure(rendered.figure, buffer, ImageFormat.PNG, dpi=max(50, int(dpi * ratio)))
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        pixmap.setDevicePixelRatio(ratio)
        return pixmap

    # -- export ----------------------------------------------------------------------------------
    def choose_file(self) -> QFileDialog:
        dialog = QFileDialog(self, "Export theme map", str(Path.home() / "theme-map.png"), FIGURE_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("png")
        dialog.fileSelected.connect(lambda path: self.export_to(path))
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: str | Path) -> MapExport | None:
        root, codes, options, dpi = self.root_id(), self.include_codes.isChecked(), self.options(), self.dpi.value()
        try:
            self.last_export = self.workbench.read(lambda s: export_theme_map(
                s, path=path, root_id=root, options=options, dpi=dpi, include_codes=codes))
        except QualCodeError as exc:
            self.notes.setText(str(exc))
            return None
        self.notes.setText(f"Saved {self.last_export.path.name}.")
        return self.last_export
