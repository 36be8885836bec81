-- A certificate's PDF drawn while its status changed could be cached after the change had dropped the cache, and kept
-- (docs/credentials.md, "PDF"). Fixed in the code; the PDFs cached until then are dropped, to be drawn again on request.
delete from skillshub.certificate_pdfs;
