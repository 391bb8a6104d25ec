"""Reading the files platforms export, as downloaded: containers and encodings (``files``), the header below
title and comment lines (``tables``), numbers by locale (``numbers``), the registry of export formats
(``formats``), one report shape for every importer (``report``) and one command base class (``command``)."""
