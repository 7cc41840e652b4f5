# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'report_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget)

class Ui_ReportDialog(object):
    def setupUi(self, ReportDialog):
        if not ReportDialog.objectName():
            ReportDialog.setObjectName(u"ReportDialog")
        ReportDialog.resize(560, 620)
        self.mainLayout = QVBoxLayout(ReportDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.entryLabel = QLabel(ReportDialog)
        self.entryLabel.setObjectName(u"entryLabel")
        self.entryLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.entryLabel)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fieldCaption = QLabel(ReportDialog)
        self.fieldCaption.setObjectName(u"fieldCaption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.fieldCaption)

        self.fieldCombo = QComboBox(ReportDialog)
        self.fieldCombo.setObjectName(u"fieldCombo")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.fieldCombo)

        self.currentCaption = QLabel(ReportDialog)
        self.currentCaption.setObjectName(u"currentCaption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.currentCaption)

        self.currentValue = QPlainTextEdit(ReportDialog)
        self.currentValue.setObjectName(u"currentValue")
        self.currentValue.setReadOnly(True)
        self.currentValue.setMaximumSize(QSize(16777215, 90))

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.currentValue)

        self.problemCaption = QLabel(ReportDialog)
        self.problemCaption.setObjectName(u"problemCaption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.problemCaption)

        self.problemBox = QVBoxLayout()
        self.problemBox.setObjectName(u"problemBox")
        self.problemEdit = QPlainTextEdit(ReportDialog)
        self.problemEdit.setObjectName(u"problemEdit")

        self.problemBox.addWidget(self.problemEdit)

        self.problemCount = QLabel(ReportDialog)
        self.problemCount.setObjectName(u"problemCount")
        self.problemCount.setAlignment(Qt.AlignmentFlag.AlignRight)

        self.problemBox.addWidget(self.problemCount)


        self.form.setLayout(2, QFormLayout.ItemRole.FieldRole, self.problemBox)

        self.suggestCaption = QLabel(ReportDialog)
        self.suggestCaption.setObjectName(u"suggestCaption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.suggestCaption)

        self.suggestEdit = QPlainTextEdit(ReportDialog)
        self.suggestEdit.setObjectName(u"suggestEdit")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.suggestEdit)

        self.contactCaption = QLabel(ReportDialog)
        self.contactCaption.setObjectName(u"contactCaption")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.contactCaption)

        self.contactEdit = QLineEdit(ReportDialog)
        self.contactEdit.setObjectName(u"contactEdit")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.contactEdit)


        self.mainLayout.addLayout(self.form)

        self.privacyLabel = QLabel(ReportDialog)
        self.privacyLabel.setObjectName(u"privacyLabel")
        self.privacyLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.privacyLabel)

        self.errorLabel = QLabel(ReportDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.errorLabel)

        self.buttons = QDialogButtonBox(ReportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.fieldCaption.setBuddy(self.fieldCombo)
        self.currentCaption.setBuddy(self.currentValue)
        self.problemCaption.setBuddy(self.problemEdit)
        self.suggestCaption.setBuddy(self.suggestEdit)
        self.contactCaption.setBuddy(self.contactEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ReportDialog)

        QMetaObject.connectSlotsByName(ReportDialog)
    # setupUi

    def retranslateUi(self, ReportDialog):
        ReportDialog.setWindowTitle(QCoreApplication.translate("ReportDialog", u"Report an error in this entry", None))
        self.entryLabel.setText(QCoreApplication.translate("ReportDialog", u"Entry", None))
#if QT_CONFIG(accessibility)
        self.entryLabel.setAccessibleName(QCoreApplication.translate("ReportDialog", u"Entry being reported", None))
#endif // QT_CONFIG(accessibility)
        self.fieldCaption.setText(QCoreApplication.translate("ReportDialog", u"Which part is wrong?", None))
#if QT_CONFIG(accessibility)
        self.fieldCombo.setAccessibleName(QCoreApplication.translate("ReportDialog", u"Part of the entry", None))
#endif // QT_CONFIG(accessibility)
        self.currentCaption.setText(QCoreApplication.translate("ReportDialog", u"It says now", None))
#if QT_CONFIG(accessibility)
        self.currentValue.setAccessibleName(QCoreApplication.translate("ReportDialog", u"What the entry says now", None))
#endif // QT_CONFIG(accessibility)
        self.problemCaption.setText(QCoreApplication.translate("ReportDialog", u"What is wrong? (required)", None))
#if QT_CONFIG(accessibility)
        self.problemEdit.setAccessibleName(QCoreApplication.translate("ReportDialog", u"What is wrong", None))
#endif // QT_CONFIG(accessibility)
        self.problemEdit.setPlaceholderText(QCoreApplication.translate("ReportDialog", u"For example: the year should be 2014, see the journal's page.", None))
        self.problemCount.setText(QCoreApplication.translate("ReportDialog", u"0 / 5,000", None))
        self.suggestCaption.setText(QCoreApplication.translate("ReportDialog", u"Suggested correction", None))
#if QT_CONFIG(accessibility)
        self.suggestEdit.setAccessibleName(QCoreApplication.translate("ReportDialog", u"Suggested correction (optional)", None))
#endif // QT_CONFIG(accessibility)
        self.suggestEdit.setPlaceholderText(QCoreApplication.translate("ReportDialog", u"Optional: what it should say.", None))
        self.contactCaption.setText(QCoreApplication.translate("ReportDialog", u"Your e-mail", None))
#if QT_CONFIG(accessibility)
        self.contactEdit.setAccessibleName(QCoreApplication.translate("ReportDialog", u"Your e-mail address (optional)", None))
#endif // QT_CONFIG(accessibility)
        self.contactEdit.setPlaceholderText(QCoreApplication.translate("ReportDialog", u"Optional, only if you would like an answer", None))
        self.privacyLabel.setText(QCoreApplication.translate("ReportDialog", u"Reports are private. They go to the atlas team and are read by a person; they are never published. The report waits in your outbox and is sent at the next sync, so no connection is needed now.", None))
        self.errorLabel.setText("")
#if QT_CONFIG(accessibility)
        self.errorLabel.setAccessibleName(QCoreApplication.translate("ReportDialog", u"Problems with the report", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

